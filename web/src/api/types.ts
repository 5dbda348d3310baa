import type { components } from './schema'

type Schemas = components['schemas']

/** RFC 9457 problem details as the API sends them. */
export type ErrorModel = Schemas['ErrorModel']
/** One field-level problem inside an ErrorModel. */
export type ErrorDetail = Schemas['ErrorDetail']
/** Public, unauthenticated server configuration. */
export type PublicConfig = Schemas['PublicConfig']
/** A signed-up person. */
export type User = Schemas['User']
/** A tenant: an agency workspace. */
export type Organization = Schemas['Organization']
/** The signed-in user's role in one organization. */
export type Membership = Schemas['Membership']
/** Answer to sign-up and sign-in. */
export type AuthResponse = Schemas['AuthResponse']
/** The signed-in user with every organization they belong to. */
export type Me = Schemas['Me']
/** An agency's client. */
export type Client = Schemas['Client']
/** One page of clients. */
export type ClientList = Schemas['ClientList']
/** Body of POST /orgs/{org_id}/clients. */
export type ClientCreate = Schemas['ClientCreate']
/** Body of PATCH /orgs/{org_id}/clients/{client_id}: only the changed fields. */
export type ClientUpdate = Schemas['ClientUpdate']
/** An email caught by the development mailbox. */
export type MailboxMessage = Schemas['MailboxMessage']
/** Body of POST /auth/sign-up. */
export type SignUpRequest = Schemas['SignUpRequest']
/** Body of POST /auth/sign-in. */
export type SignInRequest = Schemas['SignInRequest']
/** Body of POST /orgs. */
export type OrganizationCreate = Schemas['OrganizationCreate']
/** An organization's name, address, branding and security defaults. */
export type OrganizationSettings = Schemas['OrganizationSettings']
/** Body of PATCH /orgs/{org_id}/settings: only the changed fields. */
export type OrganizationSettingsUpdate = Schemas['OrganizationSettingsUpdate']
/** Answer to sign-in: the user, or a challenge for the two-factor step. */
export type SignInResponse = Schemas['SignInResponse']
/** Body of POST /auth/sign-in/2fa. */
export type SignInTwoFactorRequest = Schemas['SignInTwoFactorRequest']
/** Body of POST /auth/forgot-password. */
export type ForgotPasswordRequest = Schemas['ForgotPasswordRequest']
/** Body of POST /auth/reset-password. */
export type ResetPasswordRequest = Schemas['ResetPasswordRequest']
/** Body of POST /me/password. */
export type ChangePasswordRequest = Schemas['ChangePasswordRequest']
/** Body of PATCH /me: only the changed fields. */
export type UpdateProfileRequest = Schemas['UpdateProfileRequest']
/** A pending two-factor enrolment: secret, otpauth URL and QR code. */
export type TwoFactorSetup = Schemas['TwoFactorSetup']
/** Backup codes, shown once. */
export type BackupCodes = Schemas['BackupCodes']
/** One signed-in browser of the user. */
export type Session = Schemas['Session']
/** A person in an organization (membership ID, user, role and status). */
export type Member = Schemas['Member']
/** A pending (or past) invitation to join an organization. */
export type Invitation = Schemas['Invitation']
/** Body of POST /orgs/{org_id}/invitations. */
export type InvitationCreate = Schemas['InvitationCreate']
/** What an invitation link shows before sign-in. */
export type InvitationPreview = Schemas['InvitationPreview']
/** The permission catalogue and every role's permissions. */
export type RoleCatalogue = Schemas['RoleCatalogue']
/** One role's permission set. */
export type RolePermissions = Schemas['RolePermissions']
/** One grant or deny on top of a member's role. */
export type PermissionOverride = Schemas['PermissionOverride']
/** A member's overrides and effective permissions. */
export type MemberPermissions = Schemas['MemberPermissions']
