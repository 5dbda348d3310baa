import { Badge } from '@/components/ui/badge'
import { parseClientStatus } from '../data/schema'

/** "Active" or "Archived". */
export function ClientStatusBadge({ status }: { status: string }) {
  return parseClientStatus(status) === 'archived' ? <Badge variant="outline">Archived</Badge> : <Badge variant="success">Active</Badge>
}
