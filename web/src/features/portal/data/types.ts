import type { components } from '@/api/schema'

type Schemas = components['schemas']

/**
 * The portal's API shapes, from the generated schema (GET /orgs/{org}/portal/… and /branding); the portal's
 * pages import them from here.
 */

/** A project of the contact's client that is shared with the portal. */
export type PortalProject = Schemas['PortalProject']
/** A board column as the portal shows it: a milestone. */
export type PortalMilestone = Schemas['PortalMilestone']
/** A project with its milestones (GET /portal/projects/{id}). */
export type PortalProjectDetail = Schemas['PortalProjectDetail']
/** A portal-visible task; `status` is its column's name. */
export type PortalTask = Schemas['PortalTask']
/** A comment a contact may see (never an internal one); author.id is empty for a deleted account. */
export type PortalComment = Schemas['PortalComment']
/** A task with its description, comments and attachments. */
export type PortalTaskDetail = Schemas['PortalTaskDetail']
/** A file shared with the client (or one the contact attached to a request). */
export type PortalFile = Schemas['PortalFile']
/** A sent, overdue or paid invoice of the client; amounts in minor units. */
export type PortalInvoice = Schemas['PortalInvoice']
/** What is due, per currency. */
export type MoneyDue = Schemas['PortalAmount']
/** A task of a shared project coming due. */
export type NextDue = Schemas['PortalDue']
/** GET /portal: the summary page's data. */
export type PortalSummary = Schemas['PortalSummary']
/** GET /orgs/{org}/branding: name, logo and accessible palette. */
export type Branding = Schemas['Branding']
/** Body of POST /portal/requests. */
export type PortalRequestCreate = Schemas['PortalRequestWrite']
