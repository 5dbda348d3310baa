import { ChevronLeftIcon, FileTextIcon, ListTodoIcon } from 'lucide-react'
import { Link, useParams } from 'react-router'
import { usePortalFiles, usePortalProject, usePortalTasks } from './data/api'
import { usePortalScope } from './data/context'
import { formatDay } from './data/format'
import { portalPath, type PortalScope } from './data/scope'
import type { PortalMilestone, PortalTask } from './data/types'
import { FileList, ProgressBar, ProjectStatus, TaskStatus } from './components/parts'
import { EmptyState, PortalError, PortalLoading, PortalPageHeader } from './components/states'
import { useTitle } from '@/lib/use-title'

/** /client-portal/:orgId/projects/:projectId — read-only: status, dates, progress, milestones, tasks, files. */
export function PortalProjectPage() {
  const scope = usePortalScope()
  const { projectId = '' } = useParams()
  const project = usePortalProject(scope, projectId)
  useTitle(project.data?.name)

  return (
    <>
      <BackLink to={portalPath(scope, 'projects')} label="All projects" />
      {project.isPending ? (
        <PortalLoading what="the project" />
      ) : project.isError ? (
        <PortalError what="this project" error={project.error} onRetry={() => void project.refetch()} />
      ) : (
        <>
          <PortalPageHeader title={project.data.name} action={<ProjectStatus status={project.data.status} />} />
          {project.data.description && <p className="text-sm whitespace-pre-wrap">{project.data.description}</p>}
          <dl className="grid grid-cols-2 gap-4 rounded-lg border bg-card p-4 text-sm sm:grid-cols-3">
            <div className="grid gap-1">
              <dt className="text-muted-foreground">Started</dt>
              <dd>{formatDay(project.data.start_date) || 'Not set'}</dd>
            </div>
            <div className="grid gap-1">
              <dt className="text-muted-foreground">Due</dt>
              <dd>{formatDay(project.data.due_date) || 'Not set'}</dd>
            </div>
            <div className="col-span-2 grid gap-1 sm:col-span-1">
              <dt className="text-muted-foreground">Progress</dt>
              <dd>
                <ProgressBar progress={project.data.progress} label={`Progress of ${project.data.name}`} />
              </dd>
            </div>
          </dl>
          <Milestones milestones={project.data.milestones} />
          <ProjectTasks scope={scope} projectId={projectId} />
          <ProjectFiles scope={scope} projectId={projectId} />
        </>
      )}
    </>
  )
}

/** A link back up, above a page's title. */
export function BackLink({ to, label }: { to: string; label: string }) {
  return (
    <Link to={to} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
      <ChevronLeftIcon className="size-4" aria-hidden="true" />
      {label}
    </Link>
  )
}

function Milestones({ milestones }: { milestones: PortalMilestone[] }) {
  const sorted = [...milestones].sort((a, b) => a.position - b.position)
  if (sorted.length === 0) return null
  return (
    <section aria-labelledby="project-milestones" className="grid gap-3">
      <h2 id="project-milestones" className="text-lg font-semibold">
        Milestones
      </h2>
      <ol className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        {sorted.map((m, i) => (
          <li key={m.id} className="grid gap-1 rounded-lg border bg-card p-3">
            <span className="text-xs text-muted-foreground">Step {i + 1}</span>
            <span className="font-medium break-words">{m.name}</span>
            <span className="text-sm text-muted-foreground">
              {m.task_count} {m.task_count === 1 ? 'task' : 'tasks'}
            </span>
          </li>
        ))}
      </ol>
    </section>
  )
}

function ProjectTasks({ scope, projectId }: { scope: PortalScope; projectId: string }) {
  const tasks = usePortalTasks(scope, projectId)
  return (
    <section aria-labelledby="project-tasks" className="grid gap-3">
      <h2 id="project-tasks" className="text-lg font-semibold">
        Tasks
      </h2>
      {tasks.isPending ? (
        <PortalLoading what="tasks" rows={2} />
      ) : tasks.isError ? (
        <PortalError what="tasks" error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : tasks.data.data.length === 0 ? (
        <EmptyState icon={ListTodoIcon} title="No tasks to show">
          The team hasn't planned any tasks you can see in this project yet.
        </EmptyState>
      ) : (
        <TaskList scope={scope} tasks={tasks.data.data} />
      )}
    </section>
  )
}

/** Tasks as rows: number and title (a link to the task), status and due date. */
export function TaskList({ scope, tasks, label = 'Tasks' }: { scope: PortalScope; tasks: PortalTask[]; label?: string }) {
  return (
    <ul className="divide-y rounded-lg border bg-card" aria-label={label}>
      {tasks.map((task) => (
        <li key={task.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 p-3 text-sm">
          <Link
            to={portalPath(scope, `projects/${task.project_id}/tasks/${task.id}`)}
            className="min-w-0 flex-1 font-medium break-words underline-offset-4 hover:underline"
          >
            <span className="text-muted-foreground">#{task.number}</span> {task.title}
          </Link>
          <TaskStatus task={task} />
          {task.due_date && <span className="text-xs text-muted-foreground">Due {formatDay(task.due_date)}</span>}
        </li>
      ))}
    </ul>
  )
}

function ProjectFiles({ scope, projectId }: { scope: PortalScope; projectId: string }) {
  const files = usePortalFiles(scope, projectId)
  return (
    <section aria-labelledby="project-files" className="grid gap-3">
      <h2 id="project-files" className="text-lg font-semibold">
        Files
      </h2>
      {files.isPending ? (
        <PortalLoading what="files" rows={1} />
      ) : files.isError ? (
        <PortalError what="files" error={files.error} onRetry={() => void files.refetch()} />
      ) : files.data.data.length === 0 ? (
        <EmptyState icon={FileTextIcon} title="No shared files in this project">
          Files the team shares with you from this project will be here.
        </EmptyState>
      ) : (
        <FileList scope={scope} files={files.data.data} showProject={false} />
      )}
    </section>
  )
}
