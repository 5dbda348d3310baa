import { useProjectOptions, useTaskOptions } from '../data/api'

const selectClass =
  'flex h-9 w-full rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring aria-invalid:border-destructive disabled:opacity-50'

/** A native select of the projects the user can see (native: keyboard and screen readers for free). */
export function ProjectSelect({
  orgId,
  value,
  onChange,
  allLabel,
  ...aria
}: {
  orgId: string
  value: string
  onChange: (projectId: string) => void
  /** Offers "all projects" as the empty choice (filters) instead of a prompt (forms). */
  allLabel?: string
  id?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
  'aria-label'?: string
}) {
  const projects = useProjectOptions(orgId)
  return (
    <select className={selectClass} value={value} onChange={(e) => onChange(e.target.value)} disabled={projects.isPending} {...aria}>
      <option value="">{projects.isPending ? 'Loading projects…' : (allLabel ?? 'Choose a project')}</option>
      {projects.data?.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  )
}

/** A native select of one project's tasks; "No task" is the empty choice. */
export function TaskSelect({
  orgId,
  projectId,
  value,
  onChange,
  ...aria
}: {
  orgId: string
  projectId: string
  value: string
  onChange: (taskId: string) => void
  id?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
  'aria-label'?: string
}) {
  const tasks = useTaskOptions(orgId, projectId || undefined)
  return (
    <select className={selectClass} value={value} onChange={(e) => onChange(e.target.value)} disabled={!projectId} {...aria}>
      <option value="">No task</option>
      {tasks.data?.map((t) => (
        <option key={t.id} value={t.id}>
          {t.title}
        </option>
      ))}
    </select>
  )
}
