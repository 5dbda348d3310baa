import type { QueryKey } from '@tanstack/react-query'
import { clientKeys } from '@/features/clients/data/api'
import { fileKeys } from '@/features/files/data/api'
import { invoiceKeys } from '@/features/invoices/data/api'
import { notificationKeys } from '@/features/notifications/data/keys'
import { projectKeys } from '@/features/projects/data/api'
import { taskKeys } from '@/features/tasks/data/api'
import { teamKeys } from '@/features/team/data/api'
import { timeKeys } from '@/features/time/data/api'
import type { LiveMessage } from './message'

/** Every activity feed of the organization (the org-wide one and each project's). */
const activityKeys = (orgId: string): QueryKey => ['orgs', orgId, 'projects', 'activity']

/**
 * The cached queries a change makes stale: the entity's own lists and details, and the activity feeds that
 * show it. The entity comes from entity_type, or the event type's prefix ("column.created" → column). An
 * unknown entity refreshes the whole organization rather than leave a page behind.
 */
export function keysForChange(m: LiveMessage): QueryKey[] {
  const org = m.org_id
  const entity = m.entity_type || m.type.split('.')[0]
  const project = m.project_id
  switch (entity) {
    case 'task':
    case 'subtask':
    case 'comment':
    case 'column':
      // taskKeys.all covers the board, the list, each task's detail and its comments.
      return project ? [taskKeys.all(org, project), activityKeys(org)] : [projectKeys.all(org)]
    case 'file':
      return project ? [fileKeys.all(org, project), taskKeys.all(org, project), activityKeys(org)] : [projectKeys.all(org)]
    case 'project':
      return [projectKeys.all(org), timeKeys.all(org)]
    case 'time_entry':
      return [timeKeys.all(org), activityKeys(org)]
    case 'invoice':
      return [invoiceKeys.all(org), activityKeys(org)]
    case 'client':
      return [clientKeys.all(org), projectKeys.all(org)]
    case 'template':
      return [projectKeys.templates(org)]
    case 'team':
    case 'member':
      return [teamKeys.all(org), projectKeys.all(org)]
    default:
      return [['orgs', org]]
  }
}

/** A new notification: the recipient's inbox and unread count in that organization. */
export function keysForNotification(m: LiveMessage): QueryKey[] {
  return [notificationKeys.all(m.org_id)]
}
