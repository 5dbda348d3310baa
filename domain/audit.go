package domain

import (
	"context"
	"fmt"
	"time"
)

// AuditEntry is one row of an organization's audit log: who did a security or administrative action,
// to what, from where. The log is append-only: the application can add and read rows, never change them.
type AuditEntry struct {
	ID string
	// ActorID is the user who acted (empty for the system); ActorName is their name when it was written,
	// kept so the log still reads after the user is gone.
	ActorID   string
	ActorName string
	// APIKeyID is the key the request authenticated with, when it did.
	APIKeyID   string
	Action     string
	EntityType string
	EntityID   string
	IP         string
	UserAgent  string
	RequestID  string
	// Metadata holds what changed ({"before": …, "after": …} for updates) and other facts; never secrets.
	Metadata  map[string]any
	CreatedAt time.Time
}

// AuditFilter narrows the audit log. Times are inclusive From and exclusive To; Text matches the action,
// entity, actor name, IP and metadata. Cursor is the last ID of the previous page.
type AuditFilter struct {
	From, To   time.Time
	ActorID    string
	Action     string
	EntityType string
	EntityID   string
	Text       string
	Limit      int
	Cursor     string
}

// AuditOrigin is where a request came from: the store stamps it on the audit rows the request writes.
type AuditOrigin struct {
	UserID    string
	APIKeyID  string
	IP        string
	UserAgent string
	RequestID string
}

type auditOriginKey struct{}

// WithAuditOrigin returns ctx carrying o.
func WithAuditOrigin(ctx context.Context, o AuditOrigin) context.Context {
	return context.WithValue(ctx, auditOriginKey{}, o)
}

// AuditOriginFrom returns the origin ctx carries (zero when none).
func AuditOriginFrom(ctx context.Context) AuditOrigin {
	o, _ := ctx.Value(auditOriginKey{}).(AuditOrigin)
	return o
}

// Audit actions, <entity>.<verb> in lower snake case. AuditActions lists them all (the audit log page
// offers them as a filter); every audit row the application writes uses one of these.
const (
	// AuditSignedIn: a user opened a session with their password (and second factor). Entity: user.
	AuditSignedIn = "auth.signed_in"
	// AuditSignInFailed: a wrong password or second-factor code for a known account; metadata.reason
	// says which, never what was typed. Entity: user.
	AuditSignInFailed = "auth.sign_in_failed"
	// AuditTwoFactorEnabled, AuditTwoFactorDisabled, AuditBackupCodesRegenerated: two-factor changes. Entity: user.
	AuditTwoFactorEnabled       = "user.two_factor_enabled"
	AuditTwoFactorDisabled      = "user.two_factor_disabled"
	AuditBackupCodesRegenerated = "user.backup_codes_regenerated"
	// AuditPasswordChanged (signed in) and AuditPasswordReset (through an emailed link). Entity: user.
	AuditPasswordChanged = "user.password_changed"
	AuditPasswordReset   = "user.password_reset"
	// AuditSessionRevoked: one session signed out from the account page (metadata.session_id);
	// AuditSessionsRevokedAll: every other session (metadata.kept_session_id). Entity: user.
	AuditSessionRevoked     = "session.revoked"
	AuditSessionsRevokedAll = "session.revoked_all"
	// Team. Invitations have entity invitation; the rest entity member (the user's ID).
	AuditMemberInvited           = "member.invited"
	AuditMemberInvitationResent  = "member.invitation_resent"
	AuditMemberInvitationRevoked = "member.invitation_revoked"
	AuditMemberJoined            = "member.joined"
	AuditMemberRoleChanged       = "member.role_changed"
	AuditMemberSuspended         = "member.suspended"
	AuditMemberReactivated       = "member.reactivated"
	AuditMemberRemoved           = "member.removed"
	// AuditMemberPermissionsChanged: a member's permission overrides. Entity: member.
	AuditMemberPermissionsChanged = "member.permissions_changed"
	// AuditRolePermissionsChanged: a role's permission set. Entity: role (the role's name).
	AuditRolePermissionsChanged = "role.permissions_changed"
	// Organization. Entity: organization.
	AuditOrganizationSettingsChanged = "organization.settings_changed"
	AuditOrganizationBrandingChanged = "organization.branding_changed"
	AuditOwnershipTransferred        = "organization.ownership_transferred"
	AuditOrganizationDeletionStarted = "organization.deletion_requested"
	// Billing of the organization's own plan. Entity: subscription (the organization's ID). Checkout and
	// portal record who went to Stripe; the plan change or cancellation Stripe then reports is the system's.
	AuditBillingCheckoutStarted = "billing.checkout_started"
	AuditBillingPlanChanged     = "billing.plan_changed"
	AuditBillingPortalOpened    = "billing.portal_opened"
	// AuditBillingSubscriptionCanceled: the subscription ended or was set to end (from Stripe).
	AuditBillingSubscriptionCanceled = "billing.subscription_canceled"
	// Invoices to clients. Entity: invoice.
	AuditInvoiceSent   = "invoice.sent"
	AuditInvoiceVoided = "invoice.voided"
	// API keys. Entity: api_key.
	AuditAPIKeyCreated = "api_key.created"
	AuditAPIKeyRevoked = "api_key.revoked"
	AuditAPIKeyDeleted = "api_key.deleted"
	// Outbound webhooks. Entity: webhook_endpoint.
	AuditWebhookEndpointCreated       = "webhook_endpoint.created"
	AuditWebhookEndpointUpdated       = "webhook_endpoint.updated"
	AuditWebhookEndpointDeleted       = "webhook_endpoint.deleted"
	AuditWebhookEndpointSecretRotated = "webhook_endpoint.secret_rotated"
	AuditWebhookDeliveryReplayed      = "webhook_endpoint.delivery_replayed"
	AuditWebhookDeliveriesReplayed    = "webhook_endpoint.failed_deliveries_replayed"
	// Client portal access. Entity: client (the contact's client).
	AuditClientContactInvited           = "client_contact.invited"
	AuditClientContactInvitationRevoked = "client_contact.invitation_revoked"
	AuditClientContactRemoved           = "client_contact.removed"
	// CSV exports (a copy of the organization's data leaving it). Entity: export.
	AuditExportRequested  = "export.requested"
	AuditExportDownloaded = "export.downloaded"
	// Enterprise sign-in. AuditSSOSignedIn: a session opened through the organization's IdP (metadata.protocol);
	// AuditSSOSignInRefused: an assertion or ID token the IdP sent was refused, or the identity it named may
	// not sign in (metadata.reason, detail); entity sso_connection (the organization's ID), since whoever it
	// names is not known to be signing in. AuditBreakGlassSignIn: an owner signed in without the organization's
	// IdP (metadata.method: password, google, or sso through another organization's) while it requires SSO (the
	// other owners and admins are emailed). AuditGoogleLinked/Unlinked: entity user.
	AuditSSOSignedIn      = "auth.sso_signed_in"
	AuditSSOSignInRefused = "auth.sso_sign_in_refused"
	AuditBreakGlassSignIn = "auth.break_glass_sign_in"
	AuditGoogleLinked     = "user.google_linked"
	AuditGoogleUnlinked   = "user.google_unlinked"
	// The organization's SSO connection (entity sso_connection, the organization's ID) and its claimed
	// domains (entity sso_domain, the domain).
	AuditSSOConnectionSaved    = "sso.connection_saved"
	AuditSSOConnectionDeleted  = "sso.connection_deleted"
	AuditSSOConnectionTested   = "sso.connection_tested"
	AuditSSOEnforcementChanged = "sso.enforcement_changed"
	AuditSSODomainClaimed      = "sso.domain_claimed"
	AuditSSODomainVerified     = "sso.domain_verified"
	AuditSSODomainRemoved      = "sso.domain_removed"
	// The IP allowlist (entity ip_allowlist, the organization's ID): a saved list (before/after) and a request
	// refused from outside it (metadata.ip, method, path).
	AuditIPAllowlistChanged = "ip_allowlist.changed"
	AuditIPBlocked          = "ip_allowlist.request_blocked"
)

// AuditActions is every audit action, grouped by entity, in the order the audit log page lists them.
var AuditActions = []string{
	AuditSignedIn, AuditSignInFailed,
	AuditTwoFactorEnabled, AuditTwoFactorDisabled, AuditBackupCodesRegenerated, AuditPasswordChanged, AuditPasswordReset,
	AuditSessionRevoked, AuditSessionsRevokedAll,
	AuditMemberInvited, AuditMemberInvitationResent, AuditMemberInvitationRevoked, AuditMemberJoined,
	AuditMemberRoleChanged, AuditMemberSuspended, AuditMemberReactivated, AuditMemberRemoved,
	AuditMemberPermissionsChanged, AuditRolePermissionsChanged,
	AuditOrganizationSettingsChanged, AuditOrganizationBrandingChanged, AuditOwnershipTransferred,
	AuditOrganizationDeletionStarted,
	AuditBillingCheckoutStarted, AuditBillingPlanChanged, AuditBillingPortalOpened,
	AuditBillingSubscriptionCanceled,
	AuditInvoiceSent, AuditInvoiceVoided,
	AuditAPIKeyCreated, AuditAPIKeyRevoked, AuditAPIKeyDeleted,
	AuditWebhookEndpointCreated, AuditWebhookEndpointUpdated, AuditWebhookEndpointDeleted,
	AuditWebhookEndpointSecretRotated, AuditWebhookDeliveryReplayed, AuditWebhookDeliveriesReplayed,
	AuditClientContactInvited, AuditClientContactInvitationRevoked, AuditClientContactRemoved,
	AuditExportRequested, AuditExportDownloaded,
	AuditSSOSignedIn, AuditSSOSignInRefused, AuditBreakGlassSignIn, AuditGoogleLinked, AuditGoogleUnlinked,
	AuditSSOConnectionSaved, AuditSSOConnectionDeleted, AuditSSOConnectionTested, AuditSSOEnforcementChanged,
	AuditSSODomainClaimed, AuditSSODomainVerified, AuditSSODomainRemoved,
	AuditIPAllowlistChanged, AuditIPBlocked,
}

// AuditEntityTypes are the entity types audit rows name, for the audit log page's filter.
var AuditEntityTypes = []string{"user", "member", "invitation", "role", "organization", "subscription", "invoice",
	"api_key", "webhook_endpoint", "client", "export", "sso_connection", "sso_domain", "ip_allowlist"}

// AuditChange is the metadata of an update: the changed fields' values before and after. Fields that did
// not change are left out of both.
func AuditChange(before, after map[string]any) map[string]any {
	b, a := map[string]any{}, map[string]any{}
	for k, v := range after {
		if old, ok := before[k]; !ok || !sameAuditValue(old, v) {
			b[k], a[k] = before[k], v
		}
	}
	return map[string]any{"before": b, "after": a}
}

func sameAuditValue(x, y any) bool {
	return fmt.Sprint(x) == fmt.Sprint(y)
}
