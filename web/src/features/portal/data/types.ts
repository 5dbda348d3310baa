/**
 * The portal's API shapes (issue 11 contract). They mirror the generated schema's Portal* types; the
 * portal pages import them from here so the rest of the feature does not depend on schema names.
 */

/** A project of the contact's client that is shared with the portal. */
export interface PortalProject {
  id: string
  name: string
  description: string
  status: string
  start_date?: string | null
  due_date?: string | null
  progress: { done: number; total: number }
  allow_comments: boolean
}

/** A board column as the portal shows it: a milestone. */
export interface PortalMilestone {
  id: string
  name: string
  task_count: number
  position: number
}

/** A project with its milestones (GET /portal/projects/{id}). */
export interface PortalProjectDetail extends PortalProject {
  milestones: PortalMilestone[]
}

/** A portal-visible task; `status` is its column's name. */
export interface PortalTask {
  id: string
  project_id: string
  number: number
  title: string
  status: string
  column_id: string
  priority: string
  due_date?: string | null
  completed_at?: string | null
  requested_by_me: boolean
  created_at: string
  updated_at: string
}

/** A comment a contact may see (never an internal one). */
export interface PortalComment {
  id: string
  /** id is empty when the author's account was deleted. */
  author: { id: string; name: string }
  body_html: string
  created_at: string
  from_client: boolean
}

/** A task with its description, comments and attachments. */
export interface PortalTaskDetail extends PortalTask {
  description_html: string
  comments: PortalComment[]
  attachments: PortalFile[]
  can_comment: boolean
}

/** A file shared with the client (or one the contact attached to a request). */
export interface PortalFile {
  id: string
  project_id: string
  project_name: string
  name: string
  content_type: string
  size_bytes: number
  created_at: string
}

/** A sent, overdue or paid invoice of the client; amounts in minor units. */
export interface PortalInvoice {
  id: string
  number: number
  status: string
  currency: string
  total: number
  amount_paid: number
  amount_due: number
  issue_date: string
  due_date: string
}

/** What is due, per currency. */
export interface MoneyDue {
  currency: string
  amount: number
}

/** A task of a shared project coming due. */
export interface NextDue {
  task_id: string
  project_id: string
  title: string
  due_date: string
}

/** GET /portal: the summary page's data. */
export interface PortalSummary {
  client: { id: string; name: string }
  projects: PortalProject[]
  recent_files: PortalFile[]
  open_invoices: PortalInvoice[]
  totals_due: MoneyDue[]
  next_due: NextDue[]
}

/** GET /orgs/{org}/branding: name, logo and accessible palette. */
export interface Branding {
  name: string
  sender_name: string
  logo_url: string
  brand_color: string
  palette: { brand: string; on_brand: string; brand_text: string; brand_soft: string }
  custom_branding: boolean
}

/** Body of POST /portal/requests. */
export interface PortalRequestCreate {
  project_id: string
  title: string
  description: string
}

/** A list answer. */
export interface ListOf<T> {
  data: T[]
  next_cursor?: string | null
}
