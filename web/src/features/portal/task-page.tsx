import { MessageSquareIcon, SendIcon } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { useParams } from 'react-router'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { Label } from '@/components/ui/label'
import { Textarea } from '@/components/ui/textarea'
import { formatDateTime } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { useAddPortalComment, usePortalTask } from './data/api'
import { usePortalScope } from './data/context'
import { formatDay } from './data/format'
import { portalPath, type PortalScope } from './data/scope'
import type { PortalComment, PortalTaskDetail } from './data/types'
import { FileList, TaskStatus } from './components/parts'
import { PortalError, PortalLoading, PortalPageHeader } from './components/states'
import { BackLink } from './project-page'

/** /client-portal/:orgId/projects/:projectId/tasks/:taskId — description, comments, attachments. */
export function PortalTaskPage() {
  const scope = usePortalScope()
  const { projectId = '', taskId = '' } = useParams()
  const task = usePortalTask(scope, projectId, taskId)
  useTitle(task.data?.title)

  return (
    <>
      <BackLink to={portalPath(scope, `projects/${projectId}`)} label="Back to the project" />
      {task.isPending ? (
        <PortalLoading what="the task" />
      ) : task.isError ? (
        <PortalError what="this task" error={task.error} onRetry={() => void task.refetch()} />
      ) : (
        <TaskDetail scope={scope} projectId={projectId} task={task.data} />
      )}
    </>
  )
}

function TaskDetail({ scope, projectId, task }: { scope: PortalScope; projectId: string; task: PortalTaskDetail }) {
  return (
    <>
      <PortalPageHeader title={`#${task.number} ${task.title}`} action={<TaskStatus task={task} />} />
      <p className="text-sm text-muted-foreground">
        {[task.requested_by_me ? 'Requested by you' : '', task.due_date ? `Due ${formatDay(task.due_date)}` : '', `Updated ${formatDateTime(task.updated_at)}`]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <section aria-labelledby="task-description" className="grid gap-2">
        <h2 id="task-description" className="text-lg font-semibold">
          Description
        </h2>
        {task.description_html ? (
          // Sanitised by the server, like every rich text the API returns.
          <div className="rich-text rounded-lg border bg-card p-4 text-sm" dangerouslySetInnerHTML={{ __html: task.description_html }} />
        ) : (
          <p className="text-sm text-muted-foreground">No description.</p>
        )}
      </section>
      {task.attachments.length > 0 && (
        <section aria-labelledby="task-attachments" className="grid gap-2">
          <h2 id="task-attachments" className="text-lg font-semibold">
            Attachments
          </h2>
          <FileList scope={scope} files={task.attachments} showProject={false} />
        </section>
      )}
      <section aria-labelledby="task-comments" className="grid gap-3">
        <h2 id="task-comments" className="text-lg font-semibold">
          Comments
        </h2>
        {task.comments.length === 0 ? (
          <p className="text-sm text-muted-foreground">No comments yet.</p>
        ) : (
          <ul className="grid gap-3" aria-label="Comments">
            {task.comments.map((c) => (
              <CommentItem key={c.id} comment={c} />
            ))}
          </ul>
        )}
        {task.can_comment && !scope.previewClientId ? (
          <CommentForm scope={scope} projectId={projectId} taskId={task.id} />
        ) : (
          <p className="text-sm text-muted-foreground">
            {scope.previewClientId ? 'Contacts can comment here when the project allows it.' : 'Comments from clients are turned off for this project.'}
          </p>
        )}
      </section>
    </>
  )
}

function CommentItem({ comment }: { comment: PortalComment }) {
  return (
    <li className="grid gap-1 rounded-lg border bg-card p-3">
      <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-medium">{comment.author.name || 'Deleted user'}</span>
        {!comment.from_client && <span className="text-xs text-muted-foreground">Team</span>}
        <time dateTime={comment.created_at} className="text-xs text-muted-foreground">
          {formatDateTime(comment.created_at)}
        </time>
      </p>
      <div className="rich-text text-sm break-words" dangerouslySetInnerHTML={{ __html: comment.body_html }} />
    </li>
  )
}

function CommentForm({ scope, projectId, taskId }: { scope: PortalScope; projectId: string; taskId: string }) {
  const add = useAddPortalComment(scope, projectId, taskId)
  const [body, setBody] = useState('')
  const [error, setError] = useState<string>()

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    const text = body.trim()
    if (!text) {
      setError('Write a comment first.')
      return
    }
    setError(undefined)
    try {
      await add.mutateAsync(text)
      setBody('')
    } catch (e) {
      if (e instanceof ApiError && !e.isServerError) setError(e.fieldErrors.body ?? e.detail)
      else toast.error("Couldn't send the comment")
    }
  }

  return (
    <form className="grid gap-2" onSubmit={(e) => void onSubmit(e)} noValidate>
      <Label htmlFor="portal-comment">Add a comment</Label>
      <Textarea
        id="portal-comment"
        value={body}
        maxLength={10000}
        rows={3}
        onChange={(e) => setBody(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'portal-comment-error' : undefined}
      />
      {error && (
        <p id="portal-comment-error" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <Button type="submit" className="w-fit" disabled={add.isPending}>
        {add.isPending ? <MessageSquareIcon aria-hidden="true" /> : <SendIcon aria-hidden="true" />}
        Send comment
      </Button>
    </form>
  )
}
