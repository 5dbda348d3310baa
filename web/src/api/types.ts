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
