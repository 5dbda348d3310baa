package api

import (
	"context"
	"strconv"
	"time"

	"github.com/clientflow/clientflow/domain"
)

// Repeated throttling of one account tells its organizations' owners: a script gone wild, or someone else
// using the account. Refusals are counted per principal (the rate-limit key of a signed-in session) in the
// same limiter, over an hour; the abuseRefusals-th refusal within any hour emails the owners of every
// organization the account belongs to, once per account and hour (the idempotency key carries the hour,
// so a count that crosses the threshold again within it sends nothing new). Requests without a session are
// limited per IP, which names no account, and are not reported.

// abuseRefusals is how many refusals within abuseWindow make an account throttled "repeatedly".
const abuseRefusals = 5

const abuseWindow = time.Hour

// abuseTimeout bounds the background work of one report.
const abuseTimeout = 10 * time.Second

// noteThrottled counts one refusal of key (a session's rate-limit key; tok is its cookie) and reports the
// account when this refusal is the abuseRefusals-th within the hour. It returns at once: the refused
// request never waits for the count, the session lookup or the email.
func (s *Server) noteThrottled(ctx context.Context, key, tok string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abuseTimeout)
	go func() {
		defer cancel()
		// Allowed with nothing remaining is exactly the threshold; later refusals in the hour are refused
		// here too, so the report is made once per crossing rather than per request.
		d, err := s.limiter.Allow(ctx, "abuse:"+key, abuseRefusals, abuseWindow)
		if err != nil || !d.Allowed || d.Remaining != 0 {
			return
		}
		if err := s.reportThrottled(ctx, tok); err != nil {
			s.logger.WarnContext(ctx, "rate-limit abuse: report", "key", key, "err", err)
		}
	}()
}

// reportThrottled emails the owners of each organization the session's account belongs to.
func (s *Server) reportThrottled(ctx context.Context, tok string) error {
	sp, err := s.db.SessionPrincipal(ctx, s.tokenHash(tok), "")
	if err != nil {
		return err
	}
	memberships, err := s.db.Memberships(ctx, sp.User.ID)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	hour := now.Format("2006-01-02T15")
	for _, m := range memberships {
		orgID := m.Organization.ID
		s.emailOwners(ctx, orgID, domain.EmailRateLimitAbuse, "rate-limit-abuse/"+sp.User.ID+"/"+hour,
			map[string]string{"AccountName": sp.User.Name, "AccountEmail": sp.User.Email,
				"Refusals": strconv.Itoa(abuseRefusals), "At": now.Format("Mon 2 Jan 2006 15:04 MST"),
				"MembersURL": s.cfg.AppURL + "/orgs/" + orgID + "/members"})
	}
	return nil
}
