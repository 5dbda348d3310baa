import { ClockIcon } from 'lucide-react'
import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { addTaskDrawerSection, type TaskDrawerSectionProps } from '@/features/tasks/components/drawer-sections'
import { TimeEntryDialog } from './components/time-entry-dialog'
import { isoDay } from './data/schema'

/** "Log time" in the task drawer: the manual entry dialog with this task chosen. */
function TaskTimeSection({ orgId, projectId, taskId }: TaskDrawerSectionProps) {
  const [open, setOpen] = useState(false)
  if (!useOrgPermissions(orgId).can('time.write')) return null
  return (
    <section aria-label="Time" className="grid gap-2">
      <div>
        <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
          <ClockIcon aria-hidden="true" />
          Log time
        </Button>
      </div>
      <TimeEntryDialog orgId={orgId} open={open} day={isoDay(new Date())} projectId={projectId} taskId={taskId} onOpenChange={setOpen} />
    </section>
  )
}

addTaskDrawerSection({ id: 'time', Component: TaskTimeSection })
