import { z } from 'zod'
import { currencyExponent, formatMoneyInput, parseMoneyInput } from '@/lib/money'
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
  return 10 ** currencyExponent(currency)
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
    .refine((value) => value === '' || (/^\d+([.,]\d+)?$/.test(value) && Number(value.replace(',', '.')) >= 0), message)

/** A money field: blank, or an amount in the locale's way of writing it ("1.234,56" or "1,234.56"). */
const money = (currency: string, message: string) =>
  z
    .string()
    .trim()
    .refine((value) => value === '' || parseMoneyInput(value, currency) !== null, message)

/**
 * The project form's rules. Money is typed in major units of `currency` (the project's budget currency, else
 * the organization's), with the locale's decimal mark; the time budget field (named like the API's
 * budget_minutes, so server errors land on it) is typed in hours.
 */
export function projectFormSchema(currency: string) {
  const places = currencyExponent(currency)
  const moneyHint = places === 0 ? 'a whole amount' : `an amount with at most ${places} decimals`
  return z
    .object({
      name: z.string().trim().min(1, 'Name is required').max(200, 'Use at most 200 characters'),
      client_id: z.string(),
      description: z.string().trim().max(10000, 'Use at most 10000 characters'),
      status: z.enum(projectStatuses),
      start_date: z.string(),
      due_date: z.string(),
      budget: z.object({ amount: money(currency, `Enter ${moneyHint}, 0 or more`) }),
      budget_minutes: decimal('Enter hours of 0 or more'),
      hourly_rate: money(currency, `Enter ${moneyHint}, 0 or more`),
      template_id: z.string(),
      portal_shared: z.boolean(),
      portal_comments: z.boolean(),
    })
    .refine((v) => v.start_date === '' || v.due_date === '' || v.due_date >= v.start_date, {
      path: ['due_date'],
      message: 'The due date must not be before the start date',
    })
}

/** What the form fields hold. */
export type ProjectFormInput = z.input<ReturnType<typeof projectFormSchema>>
/** The checked, normalised form values. */
export type ProjectFormValues = z.output<ReturnType<typeof projectFormSchema>>

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
  'portal_shared',
  'portal_comments',
] as const

const toMajor = (minor: number | null | undefined, currency: string) =>
  minor === null || minor === undefined ? '' : formatMoneyInput(minor, currency)

/** The currency a project's money fields are typed in: its budget's, else the organization's. */
export function projectCurrency(currency: string, project?: Project): string {
  return project?.budget?.currency ?? currency
}


/** The form's starting values: blank for a new project, the project's own otherwise. */
export function toFormInput(currency: string, project?: Project): ProjectFormInput {
  const moneyCurrency = projectCurrency(currency, project)
  return {
    name: project?.name ?? '',
    client_id: project?.client_id ?? '',
    description: project?.description ?? '',
    status: parseProjectStatus(project?.status) ?? 'planning',
    start_date: project?.start_date ?? '',
    due_date: project?.due_date ?? '',
    budget: { amount: toMajor(project?.budget?.amount, moneyCurrency) },
    budget_minutes: project?.budget_minutes ? String(project.budget_minutes / 60) : '',
    hourly_rate: toMajor(project?.hourly_rate, moneyCurrency),
    template_id: '',
    // Both on for a new project, as the API stores them.
    portal_shared: project?.portal_shared ?? true,
    portal_comments: project?.portal_comments ?? true,
  }
}

const toMinor = (value: string, currency: string) => parseMoneyInput(value, currency) ?? 0

/** "2,5" or "2.5" hours → 150 minutes. */
const hoursToMinutes = (hours: string) => Math.round(Number(hours.replace(',', '.')) * 60)

/** The POST body: the name, the status and only what was filled in. */
export function toCreateBody(values: ProjectFormValues, currency: string): ProjectCreate {
  const body: ProjectCreate = { name: values.name, status: values.status }
  if (values.client_id) body.client_id = values.client_id
  if (values.description) body.description = values.description
  if (values.start_date) body.start_date = values.start_date
  if (values.due_date) body.due_date = values.due_date
  if (values.budget.amount) body.budget = { amount: toMinor(values.budget.amount, currency), currency }
  if (values.budget_minutes) body.budget_minutes = hoursToMinutes(values.budget_minutes)
  if (values.hourly_rate) body.hourly_rate = toMinor(values.hourly_rate, currency)
  if (values.template_id) body.template_id = values.template_id
  if (!values.portal_shared) body.portal_shared = false
  if (!values.portal_comments) body.portal_comments = false
  return body
}

/** The PATCH body: only fields that differ from the project as stored; clearing a field sends "" (or an empty budget). */
export function diffProject(original: Project, values: ProjectFormValues, currency: string): ProjectUpdate {
  const before = toFormInput(currency, original)
  const changes: ProjectUpdate = {}
  const currencyOfBudget = projectCurrency(currency, original)
  for (const field of ['name', 'client_id', 'description', 'start_date', 'due_date'] as const) {
    if (values[field] !== before[field]) changes[field] = values[field]
  }
  if (values.status !== before.status) changes.status = values.status
  if (values.budget.amount !== before.budget.amount) {
    changes.budget = values.budget.amount ? { amount: toMinor(values.budget.amount, currencyOfBudget), currency: currencyOfBudget } : {}
  }
  if (values.budget_minutes !== before.budget_minutes) changes.budget_minutes = hoursToMinutes(values.budget_minutes || '0')
  if (values.hourly_rate !== before.hourly_rate && values.hourly_rate !== '') changes.hourly_rate = toMinor(values.hourly_rate, currencyOfBudget)
  if (values.portal_shared !== before.portal_shared) changes.portal_shared = values.portal_shared
  if (values.portal_comments !== before.portal_comments) changes.portal_comments = values.portal_comments
  return changes
}
