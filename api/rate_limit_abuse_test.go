package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// abuseEmails are the rate_limit_abuse emails the server queued so far.
func abuseEmails(srv *testServer) []domain.EmailRequest {
	var out []domain.EmailRequest
	for _, e := range srv.Workflows.Emails() {
		if e.Template == domain.EmailRateLimitAbuse {
			out = append(out, e)
		}
	}
	return out
}

func TestRepeatedThrottlingEmailsTheOwnersOnce(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(3))
	ada := srv.MustSignUp(t, "Ada")
	org := ada.MustCreateOrg(uniqueName("Acme"))
	refuse := func(b *browser, n int) {
		t.Helper()
		for range n {
			MustStatus(t, b.Do(http.MethodGet, "/api/v1/orgs/"+org.ID, nil), http.StatusTooManyRequests)
		}
	}
	for range 2 {
		MustStatus(t, ada.Do(http.MethodGet, "/api/v1/orgs/"+org.ID, nil), http.StatusOK)
	}

	refuse(ada, 4)
	time.Sleep(300 * time.Millisecond)
	assert.Empty(t, abuseEmails(srv), "four refusals in the hour are not yet repeated throttling")

	refuse(ada, 1)
	require.Eventually(t, func() bool { return len(abuseEmails(srv)) > 0 }, 5*time.Second, 20*time.Millisecond,
		"the fifth refusal within the hour tells the owners")
	refuse(ada, 10)
	anon := srv.NewBrowser(t) // no session: limited per IP, which names no account
	for range 3 {
		MustStatus(t, anon.Do(http.MethodGet, "/api/v1/orgs/"+org.ID, nil), http.StatusUnauthorized)
	}
	refuse(anon, 10)
	time.Sleep(300 * time.Millisecond)

	mails := abuseEmails(srv)
	require.Len(t, mails, 1, "one email per account and hour, however long the throttling goes on")
	m := mails[0]
	assert.Equal(t, ada.User.Email, m.To, "the owner of the organization (Ada owns it herself here)")
	assert.NoError(t, m.Validate())
	assert.True(t, strings.HasPrefix(m.Key, "rate-limit-abuse/"+ada.User.ID+"/"+time.Now().UTC().Format("2006-01-02T")), m.Key)
	assert.Equal(t, ada.User.Email, m.Data["AccountEmail"])
	assert.Equal(t, "5", m.Data["Refusals"])
	assert.Equal(t, srv.URL+"/orgs/"+org.ID+"/members", m.Data["MembersURL"])
}
