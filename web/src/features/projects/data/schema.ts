import { z } from 'zod'
import type { Project, ProjectCreate, ProjectUpdate } from './types'

/** The statuses a project can have, in workflow order. */
export const projectStatuses = ['planning', 'active', 'on_hold', 'completed', 'cancelled'] as const

/** A project's status. */
export type ProjectStatus = (typeof projectStatuses)[number]

/** Human labels for the statuses. */
export const projectStatusLabels: Record<ProjectStatus, string> = {
  planning: 'Planning',
  active: 'Active',
  on_hold: 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
}

/** Reads a status from untrusted text (a URL parameter, an API string). */
export function parseProjectStatus(value: string | null | undefined): ProjectStatus | undefined {
  return projectStatuses.find((status) => status === value)
}

/** How many minor units make one major unit of currency (100 for EUR, 1 for JPY). */
export function minorUnits(currency: string): number {
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    return 10 ** digits
  } catch {
    return 100
  }
}

/** "1500000" minor units of EUR → "€15,000.00". */
export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount / minorUnits(currency))
  } catch {
    return `${amount / 100} ${currency}`
  }
}

const decimal = (message: string) =>
  z
    .string()
    .trim()
    .refine((value) => value === '' || (/^\d+(\.\d+)?$/.test(value) && Number(value) >= 0), message)

/**
 * The project form's rules. Money is typed in major units of the organization's currency; the time
 * budget field (named like the API's budget_minutes, so server errors land on it) is typed in hours.
 */
export const projectFormSchema = z
  .object({
    name: z.string().trim().min(1, 'Name is required').max(200, 'Use at most 200 characters'),
    client_id: z.string(),
    description: z.string().trim().max(10000, 'Use at most 10000 characters'),
    status: z.enum(projectStatuses),
    start_date: z.string(),
    due_date: z.string(),
    budget: z.object({ amount: decimal('Enter an amount of 0 or more') }),
    budget_minutes: decimal('Enter hours of 0 or more'),
    hourly_rate: decimal('Enter a rate of 0 or more'),
    template_id: z.string(),
  })
  .refine((v) => v.start_date === '' || v.due_date === '' || v.due_date >= v.start_date, {
    path: ['due_date'],
    message: 'The due date must not be before the start date',
  })

/** What the form fields hold. */
export type ProjectFormInput = z.input<typeof projectFormSchema>
/** The checked, normalised form values. */
export type ProjectFormValues = z.output<typeof projectFormSchema>

/** Every field the form edits, as the API's error locations name them. */
export const projectFormFields = [
  'name',
  'client_id',
  'description',
  'status',
  'start_date',
  'due_date',
  'budget.amount',
  'budget_minutes',
  'hourly_rate',
  'template_id',
] as const

const toMajor = (minor: number | null | undefined, unit: number) => (minor === null || minor === undefined ? '' : String(minor / unit))

/** The form's starting values: blank for a new project, the project's own otherwise. */
export function toFormInput(currency: string, project?: Project): ProjectFormInput {
  const unit = minorUnits(project?.budget?.currency ?? currency)
  return {
    name: project?.name ?? '',
    client_id: project?.client_id ?? '',
    description: project?.description ?? '',
    status: parseProjectStatus(project?.status) ?? 'planning',
    start_date: project?.start_date ?? '',
    due_date: project?.due_date ?? '',
    budget: { amount: toMajor(project?.budget?.amount, unit) },
    budget_minutes: project?.budget_minutes ? String(project.budget_minutes / 60) : '',
    hourly_rate: toMajor(project?.hourly_rate, unit),
    template_id: '',
  }
}

const toMinor = (value: string, unit: number) => Math.round(Number(value) * unit)

/** The POST body: the name, the status and only what was filled in. */
export function toCreateBody(values: ProjectFormValues, currency: string): ProjectCreate {
  const unit = minorUnits(currency)
  const body: ProjectCreate = { name: values.name, status: values.status }
  if (values.client_id) body.client_id = values.client_id
  if (values.description) body.description = values.description
  if (values.start_date) body.start_date = values.start_date
  if (values.due_date) body.due_date = values.due_date
  if (values.budget.amount) body.budget = { amount: toMinor(values.budget.amount, unit), currency }
  if (values.budget_minutes) body.budget_minutes = Math.round(Number(values.budget_minutes) * 60)
  if (values.hourly_rate) body.hourly_rate = toMinor(values.hourly_rate, unit)
  if (values.template_id) body.template_id = values.template_id
  return body
}

/** The PATCH body: only fields that differ from the project as stored; clearing a field sends "" (or an empty budget). */
export function diffProject(original: Project, values: ProjectFormValues, currency: string): ProjectUpdate {
  const before = toFormInput(currency, original)
  const changes: ProjectUpdate = {}
  const currencyOfBudget = original.budget?.currency ?? currency
  const unit = minorUnits(currencyOfBudget)
  for (const field of ['name', 'client_id', 'description', 'start_date', 'due_date'] as const) {
    if (values[field] !== before[field]) changes[field] = values[field]
  }
  if (values.status !== before.status) changes.status = values.status
  if (values.budget.amount !== before.budget.amount) {
    changes.budget = values.budget.amount ? { amount: toMinor(values.budget.amount, unit), currency: currencyOfBudget } : {}
  }
  if (values.budget_minutes !== before.budget_minutes) changes.budget_minutes = Math.round(Number(values.budget_minutes || 0) * 60)
  if (values.hourly_rate !== before.hourly_rate && values.hourly_rate !== '') changes.hourly_rate = toMinor(values.hourly_rate, unit)
  return changes
}
