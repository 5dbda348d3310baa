/** A project the member opened lately, as the home page lists it. */
export interface RecentProject {
  id: string
  name: string
  visitedAt: string
}

const limit = 5
const key = (orgId: string) => `clientflow.recentProjects.${orgId}`

/** The projects the member opened lately in orgId, newest first (this browser only). */
export function recentProjects(orgId: string): RecentProject[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(orgId)) ?? '[]')
    if (!Array.isArray(parsed)) return []
    return parsed.filter(
      (p): p is RecentProject => typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.name === 'string',
    )
  } catch {
    return []
  }
}

/** Notes a visit to a project, moving it to the front of the list. */
export function rememberProject(orgId: string, project: { id: string; name: string }, now = new Date()): void {
  const next = [
    { id: project.id, name: project.name, visitedAt: now.toISOString() },
    ...recentProjects(orgId).filter((p) => p.id !== project.id),
  ].slice(0, limit)
  try {
    localStorage.setItem(key(orgId), JSON.stringify(next))
  } catch {
    // Storage can be disabled (private mode); the list is a nicety.
  }
}

/** Forgets a project (it was deleted or is out of reach). */
export function forgetProject(orgId: string, projectId: string): void {
  try {
    localStorage.setItem(key(orgId), JSON.stringify(recentProjects(orgId).filter((p) => p.id !== projectId)))
  } catch {
    // As above.
  }
}
