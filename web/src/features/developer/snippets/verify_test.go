// The /developer page shows verify.go and verify.mjs exactly as they are here. These tests hold the Go
// snippet to our signer (domain.SignWebhook), and keep webhook_signature.json — the cases verify.test.ts
// runs the Node snippet against — generated from that signer.
package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	webhook "github.com/clientflow/clientflow/web/src/features/developer/snippets"
)

var update = flag.Bool("update", false, "rewrite webhook_signature.json from domain.SignWebhook")

const fixturePath = "webhook_signature.json"

// Secrets in the format endpoints get ("whsec_" + base64url of 32 bytes); fixed so the fixture is stable.
const (
	secret         = "whsec_Q2xpZW50RmxvdyBkb2NzIHNpZ25pbmcgc2VjcmV0IDAx"
	previousSecret = "whsec_Q2xpZW50RmxvdyBkb2NzIHNpZ25pbmcgc2VjcmV0IDAw"
	otherSecret    = "whsec_YW5vdGhlciBlbmRwb2ludCdzIHNpZ25pbmcgc2VjcmV0"
)

// now is the moment the fixture's cases are judged at.
var now = time.Unix(1765275300, 0)

// signatureCase is one request a receiver may get, and whether the snippet must accept it.
type signatureCase struct {
	Name   string `json:"name"`
	Header string `json:"header"`
	Body   string `json:"body"`
	Secret string `json:"secret"`
	Valid  bool   `json:"valid"`
}

// signatureFixture is webhook_signature.json.
type signatureFixture struct {
	Comment string          `json:"comment"`
	Now     int64           `json:"now"`
	Cases   []signatureCase `json:"cases"`
}

// fixture builds the cases from domain.SignWebhook: the signer deliveries use.
func fixture(t *testing.T) signatureFixture {
	t.Helper()
	payload := domain.EventPayloadMap(domain.TaskEventPayload{
		TaskID: "01938f6e-8c4a-7b51-9d02-5f3c2a1b0e77", ProjectID: "01938f6e-5a1b-7c3d-8e4f-6a7b8c9d0e1f",
		Number: 12, Title: "Ship the homepage — «final» ✓", ColumnID: "01938f6e-2b3c-7d4e-9f50-617283940a1b",
		Priority: "high", AssigneeIDs: []string{}, CompletedAt: new(now.Add(-time.Minute).UTC()),
	})
	body, err := json.Marshal(domain.WebhookEnvelope{ID: "01938f6e-0f1e-7d2c-9b3a-4c5d6e7f8091", Type: domain.EventTaskCompleted,
		CreatedAt: now.Add(-time.Minute).UTC(), OrganizationID: "01938f6e-1d2c-7a44-8e10-2b7c9d3e4f50", Data: payload})
	if err != nil {
		t.Fatal(err)
	}
	raw := string(body)
	sign := func(at time.Time, secrets ...string) string {
		keys := make([][]byte, len(secrets))
		for i, s := range secrets {
			keys[i] = []byte(s)
		}
		return domain.SignWebhook(at, body, keys...)
	}
	fresh := now.Add(-30 * time.Second)
	rotated := sign(fresh, secret, previousSecret)
	return signatureFixture{
		Comment: "Generated from domain.SignWebhook by `go test ./web/src/features/developer/snippets -update`; " +
			"verify.test.ts checks verify.mjs against every case at `now` (unix seconds).",
		Now: now.Unix(),
		Cases: []signatureCase{
			{Name: "signed with the secret", Header: sign(fresh, secret), Body: raw, Secret: secret, Valid: true},
			{Name: "signed 4m59s ago", Header: sign(now.Add(-4*time.Minute-59*time.Second), secret), Body: raw, Secret: secret, Valid: true},
			{Name: "tampered body", Header: sign(fresh, secret), Body: strings.Replace(raw, `"number":12`, `"number":13`, 1), Secret: secret},
			{Name: "signed with another secret", Header: sign(fresh, otherSecret), Body: raw, Secret: secret},
			{Name: "timestamp older than 5 minutes", Header: sign(now.Add(-5*time.Minute-time.Second), secret), Body: raw, Secret: secret},
			{Name: "timestamp more than 5 minutes ahead", Header: sign(now.Add(5*time.Minute+time.Second), secret), Body: raw, Secret: secret},
			{Name: "rotation: two v1, verified with the new secret", Header: rotated, Body: raw, Secret: secret, Valid: true},
			{Name: "rotation: two v1, verified with the previous secret", Header: rotated, Body: raw, Secret: previousSecret, Valid: true},
			{Name: "rotation: two v1, neither for this secret", Header: rotated, Body: raw, Secret: otherSecret},
			{Name: "timestamp changed after signing", Header: strings.Replace(sign(fresh, secret), "t="+strconv.FormatInt(fresh.Unix(), 10), "t="+strconv.FormatInt(fresh.Unix()+1, 10), 1), Body: raw, Secret: secret},
			{Name: "no v1", Header: "t=" + strconv.FormatInt(fresh.Unix(), 10), Body: raw, Secret: secret},
			{Name: "no timestamp", Header: strings.SplitN(sign(fresh, secret), ",", 2)[1], Body: raw, Secret: secret},
			{Name: "empty header", Header: "", Body: raw, Secret: secret},
			{Name: "v1 not hex", Header: "t=" + strconv.FormatInt(fresh.Unix(), 10) + ",v1=zz", Body: raw, Secret: secret},
		},
	}
}

func TestSignatureFixture(t *testing.T) {
	want, err := json.MarshalIndent(fixture(t), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile(fixturePath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(fixturePath)
	if err != nil {
		t.Fatalf("%v (run go test ./web/src/features/developer/snippets -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s no longer matches domain.SignWebhook: run go test ./web/src/features/developer/snippets -update, "+
			"then check verify.go and verify.mjs still pass", fixturePath)
	}
}

// TestVerify runs the Go snippet against every case, and our own verifier alongside, so a case the
// snippet gets wrong cannot hide behind a wrong expectation.
func TestVerify(t *testing.T) {
	for _, c := range fixture(t).Cases {
		t.Run(c.Name, func(t *testing.T) {
			err := webhook.Verify(c.Header, []byte(c.Body), c.Secret, now)
			if c.Valid && err != nil {
				t.Errorf("Verify refused a good request: %v", err)
			}
			if !c.Valid && !errors.Is(err, webhook.ErrInvalidSignature) {
				t.Errorf("Verify = %v, want ErrInvalidSignature", err)
			}
			ours := domain.VerifyWebhook(c.Header, []byte(c.Body), []byte(c.Secret), webhook.Tolerance, now)
			if (ours == nil) != c.Valid {
				t.Errorf("domain.VerifyWebhook = %v, but the case says valid=%v", ours, c.Valid)
			}
		})
	}
}

// TestHandler posts requests signed now to the snippet's handler, as a delivery would arrive.
func TestHandler(t *testing.T) {
	body := []byte(`{"id":"01938f6e-0f1e-7d2c-9b3a-4c5d6e7f8091","type":"ping","created_at":"2026-12-09T10:15:00Z",` +
		`"organization_id":"01938f6e-1d2c-7a44-8e10-2b7c9d3e4f50","data":{"message":"This is a test delivery from ClientFlow."}}`)
	var got []webhook.Event
	handleErr := error(nil)
	srv := httptest.NewServer(webhook.Handler(secret, func(_ context.Context, e webhook.Event) error {
		got = append(got, e)
		return handleErr
	}))
	t.Cleanup(srv.Close)
	post := func(signature string, body []byte) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(domain.WebhookSignatureHeader, signature)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}

	if code := post(domain.SignWebhook(time.Now(), body, []byte(secret)), body); code != http.StatusNoContent {
		t.Fatalf("signed delivery: status %d, want 204", code)
	}
	if len(got) != 1 || got[0].Type != "ping" || got[0].ID != "01938f6e-0f1e-7d2c-9b3a-4c5d6e7f8091" || !strings.Contains(string(got[0].Data), "test delivery") {
		t.Fatalf("handled events = %+v", got)
	}
	tampered := bytes.Replace(body, []byte("test delivery"), []byte("real delivery"), 1)
	if code := post(domain.SignWebhook(time.Now(), body, []byte(secret)), tampered); code != http.StatusBadRequest {
		t.Errorf("tampered body: status %d, want 400", code)
	}
	if code := post(domain.SignWebhook(time.Now().Add(-6*time.Minute), body, []byte(secret)), body); code != http.StatusBadRequest {
		t.Errorf("stale timestamp: status %d, want 400", code)
	}
	if len(got) != 1 {
		t.Errorf("refused requests reached the event handler: %+v", got[1:])
	}
	handleErr = errors.New("database down")
	if code := post(domain.SignWebhook(time.Now(), body, []byte(secret)), body); code != http.StatusInternalServerError {
		t.Errorf("failing handler: status %d, want 500 so ClientFlow retries", code)
	}
}
