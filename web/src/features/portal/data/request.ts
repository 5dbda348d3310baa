/** The fields of the New request form. */
export interface RequestDraft {
  project_id: string
  title: string
  description: string
}

/** The limits POST /portal/requests enforces. */
export const requestLimits = { title: 300, description: 10000 }

/** Field errors of a draft, keyed like the API's (empty when it may be sent); values are trimmed first. */
export function validateRequest(draft: RequestDraft): Partial<Record<keyof RequestDraft, string>> {
  const errors: Partial<Record<keyof RequestDraft, string>> = {}
  if (!draft.project_id) errors.project_id = 'Choose the project this request is about.'
  const title = draft.title.trim()
  if (!title) errors.title = 'Give the request a short title.'
  else if ([...title].length > requestLimits.title) errors.title = `Keep the title under ${requestLimits.title} characters.`
  if ([...draft.description.trim()].length > requestLimits.description) {
    errors.description = `Keep the description under ${requestLimits.description.toLocaleString('en')} characters.`
  }
  return errors
}
