package push_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	webpush "github.com/SherClockHolmes/webpush-go"

	"github.com/clientflow/clientflow/activities/push"
	"github.com/clientflow/clientflow/activities/push/pushtest"
	"github.com/clientflow/clientflow/domain"
)

func mustKeys(t *testing.T) (private, public string) {
	t.Helper()
	private, public, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	return private, public
}

func mustSender(t *testing.T, private, public string, client *http.Client) *push.Sender {
	t.Helper()
	s, err := push.NewSender(push.Config{PublicKey: public, PrivateKey: private, Subject: "mailto:ops@example.com", Client: client})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSendIsSignedAndDecryptsForTheSubscription(t *testing.T) {
	private, public := mustKeys(t)
	svc := pushtest.MustStart(t, public)
	sender := mustSender(t, private, public, svc.Client())
	sub := svc.Subscribe()
	payload := []byte(`{"title":"Task assigned","body":"Ünïcode ✓","link":"/orgs/x","id":"n1"}`)

	if err := sender.Send(context.Background(), sub, "0192f0c5a1b27c3d8e4f5a6b7c8d9e0f", payload); err != nil {
		t.Fatalf("send: %v (refusals %v)", err, svc.Refusals())
	}
	msgs := svc.Messages()
	if len(msgs) != 1 {
		t.Fatalf("service got %d messages, refusals %v", len(msgs), svc.Refusals())
	}
	m := msgs[0]
	if string(m.Payload) != string(payload) {
		t.Errorf("decrypted %q, want %q", m.Payload, payload)
	}
	if m.Endpoint != sub.Endpoint || m.TTL != push.TTL || m.Urgency != "normal" ||
		m.Topic != "0192f0c5a1b27c3d8e4f5a6b7c8d9e0f" || m.Subject != "mailto:ops@example.com" {
		t.Errorf("message %+v", m)
	}
}

func TestSendLeavesThePayloadAlone(t *testing.T) {
	private, public := mustKeys(t)
	svc := pushtest.MustStart(t, public)
	payload := make([]byte, 2, 64) // spare capacity, as a bytes.Buffer's slice has
	copy(payload, "{}")
	if err := mustSender(t, private, public, svc.Client()).Send(context.Background(), svc.Subscribe(), "", payload); err != nil {
		t.Fatal(err)
	}
	if spare := payload[:cap(payload)]; string(spare[:2]) != "{}" || spare[2] != 0 {
		t.Fatalf("the caller's array was written to: %q", spare[:4])
	}
}

func TestSendRefusedByAnotherSubscriptionsKeys(t *testing.T) {
	private, public := mustKeys(t)
	svc := pushtest.MustStart(t, public)
	sender := mustSender(t, private, public, svc.Client())
	sub, other := svc.Subscribe(), svc.Subscribe()
	sub.P256dh = other.P256dh // encrypted for someone else: the browser cannot read it

	err := sender.Send(context.Background(), sub, "", []byte(`{}`))
	var se *push.ServiceError
	if !errors.As(err, &se) || se.StatusCode != http.StatusBadRequest || se.Temporary() {
		t.Fatalf("err = %v, want a permanent 400", err)
	}
	if len(svc.Messages()) != 0 || len(svc.Refusals()) != 1 {
		t.Fatalf("messages %v refusals %v", svc.Messages(), svc.Refusals())
	}
}

func TestSendSignedWithAnotherVAPIDKeyIsRefused(t *testing.T) {
	private, public := mustKeys(t)
	_, otherPublic := mustKeys(t)
	svc := pushtest.MustStart(t, otherPublic)
	sender := mustSender(t, private, public, svc.Client())

	if err := sender.Send(context.Background(), svc.Subscribe(), "", []byte(`{}`)); err == nil {
		t.Fatal("a push signed with another key was accepted")
	}
	if len(svc.Messages()) != 0 {
		t.Fatalf("messages %v", svc.Messages())
	}
}

func TestSendStatuses(t *testing.T) {
	private, public := mustKeys(t)
	svc := pushtest.MustStart(t, public)
	sender := mustSender(t, private, public, svc.Client())
	for _, tc := range []struct {
		status    int
		gone      bool
		temporary bool
	}{
		{http.StatusGone, true, false},
		{http.StatusNotFound, true, false},
		{http.StatusTooManyRequests, false, true},
		{http.StatusServiceUnavailable, false, true},
		{http.StatusForbidden, false, false},
		{http.StatusRequestEntityTooLarge, false, false},
	} {
		sub := svc.Subscribe()
		svc.Answer(sub.Endpoint, tc.status)
		err := sender.Send(context.Background(), sub, "", []byte(`{}`))
		if gone := errors.Is(err, push.ErrGone); gone != tc.gone {
			t.Errorf("%d: err = %v, gone = %v, want %v", tc.status, err, gone, tc.gone)
		}
		var se *push.ServiceError
		if !tc.gone && (!errors.As(err, &se) || se.Temporary() != tc.temporary || push.Temporary(err) != tc.temporary) {
			t.Errorf("%d: err = %v, want a ServiceError with Temporary() = %v", tc.status, err, tc.temporary)
		}
	}
}

func TestSendToAnUnreachableServiceIsTemporary(t *testing.T) {
	private, public := mustKeys(t)
	svc := pushtest.MustStart(t, public)
	sub := svc.Subscribe()
	down := httptest.NewTLSServer(http.NotFoundHandler())
	sub.Endpoint = down.URL + "/push/1"
	down.Close()
	err := mustSender(t, private, public, svc.Client()).Send(context.Background(), sub, "", []byte(`{}`))
	if err == nil || !push.Temporary(err) {
		t.Fatalf("err = %v, want a temporary failure", err)
	}
}

func TestSendFollowsNoRedirect(t *testing.T) {
	private, public := mustKeys(t)
	var elsewhere atomic.Int32
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.WriteHeader(http.StatusCreated)
	}))
	defer other.Close()
	redirecting := httptest.NewTLSServer(http.RedirectHandler(other.URL+"/internal", http.StatusTemporaryRedirect))
	defer redirecting.Close()
	sender := mustSender(t, private, public, redirecting.Client())
	svc := pushtest.MustStart(t, public)
	sub := svc.Subscribe()
	sub.Endpoint = redirecting.URL + "/push/1"

	err := sender.Send(context.Background(), sub, "", []byte(`{}`))
	var se *push.ServiceError
	if !errors.As(err, &se) || se.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("err = %v, want the redirect reported as a ServiceError", err)
	}
	if elsewhere.Load() != 0 {
		t.Fatal("the redirect target was contacted")
	}
}

func TestSendRefusesAnEndpointThatIsNotHTTPS(t *testing.T) {
	private, public := mustKeys(t)
	var hits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer plain.Close()
	sender := mustSender(t, private, public, nil)
	sub := domain.PushSubscription{Endpoint: plain.URL + "/push", P256dh: "x", Auth: "y"}
	if err := sender.Send(context.Background(), sub, "", []byte(`{}`)); err == nil || hits.Load() != 0 {
		t.Fatalf("err = %v, hits = %d: an http:// endpoint was contacted", err, hits.Load())
	}
}

func TestNewSenderChecksTheVAPIDConfiguration(t *testing.T) {
	private, public := mustKeys(t)
	otherPrivate, _ := mustKeys(t)
	for name, cfg := range map[string]push.Config{
		"mismatched pair":     {PublicKey: public, PrivateKey: otherPrivate, Subject: "mailto:ops@example.com"},
		"private not base64":  {PublicKey: public, PrivateKey: "not base64!", Subject: "mailto:ops@example.com"},
		"public truncated":    {PublicKey: public[:20], PrivateKey: private, Subject: "mailto:ops@example.com"},
		"subject not a URL":   {PublicKey: public, PrivateKey: private, Subject: "ops@example.com"},
		"subject plain http":  {PublicKey: public, PrivateKey: private, Subject: "http://example.com"},
		"missing private key": {PublicKey: public, Subject: "mailto:ops@example.com"},
	} {
		if _, err := push.NewSender(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := push.NewSender(push.Config{PublicKey: public + "\n", PrivateKey: private, Subject: "https://example.com/contact"}); err != nil {
		t.Fatalf("valid config with a trailing newline: %v", err)
	}
}
