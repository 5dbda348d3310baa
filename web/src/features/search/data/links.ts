import type { SearchHit, TextSegment } from './api'

/** The group headings of the palette, by hit type. */
export const searchGroupLabels: Record<SearchHit['type'], string> = {
  clients: 'Clients',
  projects: 'Projects',
  tasks: 'Tasks',
  comments: 'Comments',
  files: 'Files',
}

/** Where a hit opens: a task (and a comment or attachment, on its task) in its board's drawer. */
export function hitHref(orgId: string, hit: SearchHit): string {
  const org = `/orgs/${orgId}`
  if (hit.type === 'clients') return `${org}/clients/${hit.id}`
  if (hit.type === 'projects') return `${org}/projects/${hit.id}`
  if (hit.task_id && hit.project_id) return `${org}/projects/${hit.project_id}/board?task=${hit.task_id}`
  if (hit.type === 'files' && hit.project_id) return `${org}/projects/${hit.project_id}/files`
  return `${org}/dashboard`
}

/** Segments joined back into plain text. */
export function segmentsText(segments: TextSegment[]): string {
  return segments.map((s) => s.text).join('')
}

/** A count as the palette shows it: "200+" when the API stopped counting. */
export function countLabel(count: number, capped: boolean): string {
  return capped ? `${count}+` : String(count)
}
