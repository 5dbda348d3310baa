package api

import (
	"context"
	"time"

	"github.com/clientflow/clientflow/domain"
)

// breakGlassMethods names how a break-glass session was opened, for the email ("signed in with …").
var breakGlassMethods = map[string]string{domain.AuthMethodPassword: "a password", domain.AuthMethodGoogle: "Google",
	domain.AuthMethodSSO: "another organization's SSO"}

// reportBreakGlass runs after a sign-in opened session sessionID by method (ssoOrgID: the organization whose
// IdP opened it, if any). In every other organization the user owns that requires SSO, the owner's exception
// is the break-glass that gets them past enforcement (see enforceSignInRules), so each such organization
// records it in its audit log and its other owners and admins are emailed. The audit row and the queued
// emails commit together (the workflow outbox). The session is open either way: a failure is logged, never
// answered.
func (s *Server) reportBreakGlass(ctx context.Context, u *domain.User, sessionID, method, ssoOrgID string) {
	orgs, err := s.db.OwnedSSORequiredOrganizations(ctx, u.ID)
	if err != nil {
		s.logger.ErrorContext(ctx, "break-glass: list organizations", "err", err, "user_id", u.ID)
		return
	}
	if len(orgs) == 0 {
		return
	}
	ip, at := clientIPFrom(ctx), time.Now().UTC().Format("Mon 2 Jan 2006 15:04 UTC")
	for _, org := range orgs {
		if org.ID == ssoOrgID {
			continue
		}
		var mail []queuedEmail
		err := s.db.Atomically(ctx, org.ID, u.ID, func(ctx context.Context) error {
			if err := s.db.RecordAudit(ctx, org.ID, domain.AuditEntry{Action: domain.AuditBreakGlassSignIn, ActorID: u.ID,
				EntityType: "user", EntityID: u.ID, Metadata: map[string]any{"session_id": sessionID, "method": method}}); err != nil {
				return err
			}
			members, err := s.db.Members(ctx, org.ID)
			if err != nil {
				return err
			}
			var reqs []domain.EmailRequest
			for _, m := range members {
				if m.UserID == u.ID || m.Status != domain.MemberActive || (m.Role != domain.RoleOwner && m.Role != domain.RoleAdmin) {
					continue
				}
				reqs = append(reqs, domain.EmailRequest{Key: "break-glass/" + org.ID + "/" + sessionID + "/" + m.UserID,
					To: m.Email, Template: domain.EmailBreakGlassSignIn, Data: map[string]string{
						"Name": m.Name, "OrgName": org.Name, "OwnerName": u.Name, "OwnerEmail": u.Email,
						"Method": breakGlassMethods[method], "At": at, "IP": ip,
						"AuditLogURL": s.cfg.AppURL + "/orgs/" + org.ID + "/audit-log"}})
			}
			mail, err = s.queueEmails(ctx, reqs...)
			return err
		})
		if err != nil {
			s.logger.ErrorContext(ctx, "break-glass: record", "err", err, "user_id", u.ID, "organization_id", org.ID)
			continue
		}
		s.sendQueued(ctx, mail)
	}
}
