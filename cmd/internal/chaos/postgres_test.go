package chaos_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/clientflow/clientflow/worker/temporaltest"
)

// sample is one request of the load and what came of it.
type sample struct {
	start, end time.Time
	op         string
	status     int
	retryAfter string
	body       string
	err        error
}

// TestPostgresCutUnderLoad: Postgres going away under load (every connection dropped, new ones refused
// for 5 s, as in a restart) is answered with 503 + Retry-After, never a 500 and never a request hanging past
// REQUEST_TIMEOUT; once Postgres is back the same api process serves again, its pool healed by itself.
func TestPostgresCutUnderLoad(t *testing.T) {
	const requestTimeout = 5 * time.Second
	srv := temporaltest.MustStart(t)
	s := newStack(t, srv, nil)
	dsn, err := url.Parse(s.DB.URL)
	must(t, err, "parse database URL")
	proxy := startProxy(t, dsn.Host)
	dsn.Host = proxy.addr
	_, base := s.startAPI(t, "api", map[string]string{"DATABASE_URL": dsn.String(), "REQUEST_TIMEOUT": requestTimeout.String()})

	user := newSession(t)
	user.mustSignUp(t, base)
	orgID := user.mustCreateOrg(t, base, "Load Co")

	samples, cutAt, restoredAt := underLoad(user, base, orgID, func() (time.Time, time.Time) {
		cutAt := time.Now()
		proxy.cut()
		time.Sleep(5 * time.Second)
		proxy.restore(t)
		return cutAt, time.Now()
	})
	checkLoad(t, samples, cutAt, restoredAt, requestTimeout)
}

// underLoad drives 8 concurrent clients through the API for 3 s, then runs fault (which takes Postgres
// away and brings it back, reporting when), then keeps going for 8 s more; it returns every request made.
func underLoad(user *session, base, orgID string, fault func() (down, up time.Time)) (samples []sample, down, up time.Time) {
	stop := make(chan struct{})
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				smp := loadRequest(user, base, orgID, w, i)
				mu.Lock()
				samples = append(samples, smp)
				mu.Unlock()
				if smp.status != http.StatusOK && smp.status != http.StatusCreated {
					time.Sleep(50 * time.Millisecond) // a real client would honour Retry-After; the test only needs to stay busy
				}
			}
		}()
	}
	time.Sleep(3 * time.Second)
	down, up = fault()
	time.Sleep(8 * time.Second)
	close(stop)
	wg.Wait()
	return samples, down, up
}

// loadRequest is one request of the mix: lists and creates of clients in the organization.
func loadRequest(user *session, base, orgID string, worker, i int) sample {
	smp := sample{start: time.Now(), op: "list"}
	var res *response
	if i%3 == 2 {
		smp.op = "create"
		res, smp.err = user.call(base, http.MethodPost, orgPath(orgID)+"/clients",
			map[string]string{"name": fmt.Sprintf("Client %d-%d", worker, i)}, nil)
	} else {
		res, smp.err = user.call(base, http.MethodGet, orgPath(orgID)+"/clients?limit=20", nil, nil)
	}
	smp.end = time.Now()
	if res != nil {
		smp.status, smp.retryAfter, smp.body = res.Status, res.Header.Get("Retry-After"), string(res.Body)
	}
	return smp
}

// checkLoad asserts the outage contract on every sample and logs the figures.
func checkLoad(t *testing.T, samples []sample, cutAt, restoredAt time.Time, timeout time.Duration) {
	t.Helper()
	sort.Slice(samples, func(i, j int) bool { return samples[i].start.Before(samples[j].start) })
	var ok, unavailable, bad int
	var slowest time.Duration
	firstOKAfterRestore := time.Duration(-1)
	for _, smp := range samples {
		took := smp.end.Sub(smp.start)
		slowest = max(slowest, took)
		switch {
		case smp.err != nil:
			bad++
			t.Errorf("%s at %s: no answer after %s: %v", smp.op, smp.start.Format("15:04:05.000"), took, smp.err)
		case smp.status == http.StatusOK || smp.status == http.StatusCreated:
			ok++
			if smp.start.After(restoredAt) && firstOKAfterRestore < 0 {
				firstOKAfterRestore = smp.end.Sub(restoredAt)
			}
		case smp.status == http.StatusServiceUnavailable && smp.retryAfter != "":
			unavailable++
			if smp.start.After(restoredAt.Add(3 * time.Second)) {
				bad++
				t.Errorf("%s 3 s after Postgres came back still answers 503: the pool did not recover", smp.op)
			}
		default:
			bad++
			if bad <= 10 {
				t.Errorf("%s = %d (Retry-After %q) %s; want 2xx, or 503 with Retry-After", smp.op, smp.status, smp.retryAfter, smp.body)
			}
		}
		if took > timeout+time.Second {
			t.Errorf("%s took %s, past REQUEST_TIMEOUT %s", smp.op, took, timeout)
		}
	}
	t.Logf("requests %d: %d ok, %d answered 503 with Retry-After, %d wrong; slowest %s; first success %s after Postgres came back (cut at %s)",
		len(samples), ok, unavailable, bad, slowest.Round(time.Millisecond), firstOKAfterRestore.Round(time.Millisecond), cutAt.Format("15:04:05"))
	if unavailable == 0 {
		t.Error("no request saw the outage: the cut did not reach the API")
	}
	if firstOKAfterRestore < 0 {
		t.Error("no request succeeded after Postgres came back")
	}
}
