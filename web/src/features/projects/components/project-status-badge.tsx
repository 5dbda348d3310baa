import { Badge } from '@/components/ui/badge'
import { parseProjectStatus, projectStatusLabels, type ProjectStatus } from '../data/schema'

const variants: Record<ProjectStatus, 'default' | 'secondary' | 'success' | 'outline'> = {
  planning: 'secondary',
  active: 'success',
  on_hold: 'outline',
  completed: 'default',
  cancelled: 'outline',
}

/** The project's status as a coloured badge. */
export function ProjectStatusBadge({ status }: { status: string }) {
  const parsed = parseProjectStatus(status) ?? 'planning'
  return <Badge variant={variants[parsed]}>{projectStatusLabels[parsed]}</Badge>
}
