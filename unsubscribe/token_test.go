package unsubscribe

import "testing"

func TestTokenRoundTripAndTamper(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	want := Target{OrganizationID: "0190a0b0-0000-7000-8000-000000000001", UserID: "0190a0b0-0000-7000-8000-000000000002", Type: "task_assigned"}
	tok := Token(secret, want)
	got, err := Parse(secret, tok)
	if err != nil || got != want {
		t.Fatalf("Parse(Token) = %+v, %v; want %+v", got, err, want)
	}
	if _, err := Parse([]byte("another secret, same length......"), tok); err != ErrInvalid {
		t.Fatalf("token accepted under another secret: %v", err)
	}
	other := Token(secret, Target{OrganizationID: want.OrganizationID, UserID: want.UserID, Type: "mentioned"})
	forged := tok[:len(tok)-len(other[len(other)-43:])] + other[len(other)-43:]
	for _, bad := range []string{"", ".", "abc", tok + "x", forged, "e30." + tok[len(tok)-43:]} {
		if _, err := Parse(secret, bad); err != ErrInvalid {
			t.Errorf("Parse(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}
