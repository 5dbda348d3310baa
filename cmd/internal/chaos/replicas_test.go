package chaos_test

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clientflow/clientflow/worker/temporaltest"
)

// redisURL is the shared Redis the replicas count rate limits in (keys are per session, so runs do not
// collide).
const redisURL = "redis://127.0.0.1:6379/0"

// TestTwoAPIsTwoWorkers: two api and two worker processes on one Postgres, Redis and Temporal behave as
// one deployment: a rate limit holds across both APIs, one Idempotency-Key sent to both at once creates one
// row and both answer it, and every workflow's email goes out once although two workers poll.
func TestTwoAPIsTwoWorkers(t *testing.T) {
	const limit = 30
	srv := temporaltest.MustStart(t)
	peer := newEmailPeer(t, "")
	// rateLimitAcross calls as a signed-in browser session, so the session limit is the one under test.
	s := newStack(t, srv, map[string]string{"REDIS_URL": redisURL, "RATE_LIMIT_API_PER_MINUTE": fmt.Sprint(limit),
		"RATE_LIMIT_SESSION_PER_MINUTE": fmt.Sprint(limit), "RESEND_API_KEY": "re_chaos", "RESEND_API_BASE": peer.URL})
	_, api1 := s.startAPI(t, "api-1", nil)
	_, api2 := s.startAPI(t, "api-2", nil)
	workers := []*proc{s.startWorker(t, "worker-1"), s.startWorker(t, "worker-2")}
	apis := []string{api1, api2}

	t.Run("rate_limit_is_shared", func(t *testing.T) { rateLimitAcross(t, apis, limit) })
	t.Run("idempotency_key_is_shared", func(t *testing.T) { idempotencyAcross(t, s, apis) })
	t.Run("workflows_run_once", func(t *testing.T) { welcomeOnceAcross(t, s, apis, peer, workers) })
}

// rateLimitAcross sends twice the per-minute limit from one session, alternating the two APIs, all at
// once: exactly the limit is admitted, the rest answer 429.
func rateLimitAcross(t *testing.T, apis []string, limit int) {
	user := newSession(t)
	user.mustSignUp(t, apis[0])
	statuses := make([]int, 2*limit)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := user.call(apis[i%2], http.MethodGet, "/api/v1/me", nil, nil)
			if err != nil {
				t.Errorf("GET /api/v1/me: %v", err)
				return
			}
			statuses[i] = res.Status
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, st := range statuses {
		count[st]++
	}
	if count[http.StatusOK] != limit || count[http.StatusTooManyRequests] != limit {
		t.Fatalf("statuses %v for %d requests split across two APIs; want %d × 200 and %d × 429", count, 2*limit, limit, limit)
	}
}

// idempotencyAcross sends the same create with the same Idempotency-Key to both APIs at the same moment,
// several times: each key creates one client and both APIs answer with it.
func idempotencyAcross(t *testing.T, s *stack, apis []string) {
	owner := newSession(t)
	owner.mustSignUp(t, apis[0])
	orgID := owner.mustCreateOrg(t, apis[0], "Twice Co")
	for round := range 5 {
		key := uuid.NewString()
		name := fmt.Sprintf("Client %d", round)
		bodies := make([]string, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, base := range apis {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res, err := owner.call(base, http.MethodPost, orgPath(orgID)+"/clients", map[string]string{"name": name},
					map[string]string{"Idempotency-Key": key})
				if err != nil || res.Status != http.StatusCreated {
					t.Errorf("create on API %d: %v %+v", i+1, err, res)
					return
				}
				bodies[i] = string(bytes.TrimSpace(res.Body))
			}()
		}
		close(start)
		wg.Wait()
		if bodies[0] != bodies[1] {
			t.Errorf("round %d: the two APIs answered differently:\n%s\n%s", round, bodies[0], bodies[1])
		}
		if n := s.mustCount(t, "SELECT count(*) FROM clients WHERE organization_id = ? AND name = ?", orgID, name); n != 1 {
			t.Errorf("round %d: %d clients created for one Idempotency-Key; want 1", round, n)
		}
	}
}

// welcomeOnceAcross signs up people through both APIs (one address at both at once) while two workers
// poll: every welcome email is sent by one activity execution, once.
func welcomeOnceAcross(t *testing.T, s *stack, apis []string, peer *emailPeer, workers []*proc) {
	var users []string
	for i := range 10 {
		id, _ := newSession(t).mustSignUp(t, apis[i%2])
		users = append(users, id)
	}
	// The same address at both APIs at once: one account, so one welcome.
	email := "twice-" + uuid.NewString()[:8] + "@example.com"
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	for i, base := range apis {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := newSession(t).call(base, http.MethodPost, "/api/v1/auth/sign-up",
				map[string]string{"name": "Twice", "email": email, "password": "correct horse battery"}, nil)
			if err == nil {
				statuses[i] = res.Status
			}
		}()
	}
	wg.Wait()
	if slices.Sort(statuses); !slices.Equal(statuses, []int{http.StatusCreated, http.StatusConflict}) {
		t.Errorf("the same sign-up at both APIs answered %v; want one 201 and one 409", statuses)
	}

	for _, id := range users {
		key := "welcome/" + id
		eventually(t, 60*time.Second, "welcome email of "+id+" sent", func() bool {
			return s.mustCount(t, "SELECT count(*) FROM email_outbox WHERE idempotency_key = ? AND status = 'sent'", key) == 1
		})
		if n := peer.requests(key); n != 1 {
			t.Errorf("%s reached the provider %d times; want once", key, n)
		}
	}
	eventually(t, 60*time.Second, "the duplicate sign-up's one welcome email sent", func() bool {
		return s.mustCount(t, "SELECT count(*) FROM email_outbox WHERE to_address = ? AND status = 'sent'", email) == 1
	})
	for _, w := range workers {
		t.Logf("%s sent %d email(s)", w.name, strings.Count(w.out.String(), `"msg":"email sent"`))
	}
}
