import { useState } from 'react'
import type { JSONContent } from '@tiptap/react'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { ApiError } from '@/api/errors'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useProjectMembers } from '@/features/projects/data/api'
import { addTaskDrawerSection } from '@/features/tasks/components/drawer-sections'
import { CommentEditor } from './components/comment-editor'
import { useCommentMutations, useComments, type TaskComment } from './data/api'

/** The message of a failed comment write, naming the field problem when the server gave one. */
function errorText(e: unknown) {
  if (!(e instanceof ApiError)) return undefined
  return e.errors[0]?.message ?? e.detail
}

/** A task's discussion: comments with @mentions, editing and deleting your own. Self-contained for the task drawer. */
export function CommentsSection({ orgId, projectId, taskId }: { orgId: string; projectId: string; taskId: string }) {
  const comments = useComments(orgId, projectId, taskId)
  const members = useProjectMembers(orgId, projectId)
  const { create, update, remove } = useCommentMutations(orgId, projectId, taskId)
  const { can, userId } = useOrgPermissions(orgId)
  const [editing, setEditing] = useState<string | null>(null)
  const people = (members.data?.data ?? []).map((m) => ({ id: m.user_id, label: m.name }))

  const mayDelete = (c: TaskComment) => c.author_id === userId || can('tasks.delete')

  return (
    <section aria-labelledby={`comments-${taskId}`} className="space-y-3">
      <h3 id={`comments-${taskId}`} className="text-sm font-semibold">
        Comments
      </h3>
      {comments.isPending && <Skeleton className="h-16 w-full" aria-label="Loading comments" />}
      {comments.isError && (
        <Alert variant="destructive">
          <AlertDescription>Comments could not be loaded. {comments.error.message}</AlertDescription>
        </Alert>
      )}
      {comments.data && comments.data.data.length === 0 && <p className="text-sm text-muted-foreground">No comments yet.</p>}
      {comments.data && comments.data.data.length > 0 && (
        <ul className="space-y-3" aria-label="Comments">
          {comments.data.data.map((c) => (
            <li key={c.id} className={`rounded-md border p-3 text-sm ${c.internal ? 'border-dashed bg-muted/40' : ''}`}>
              <p className="mb-1 flex flex-wrap items-center gap-x-1 gap-y-1 text-xs text-muted-foreground">
                <span className="font-medium text-foreground">{c.author_name || 'Former member'}</span>
                {c.internal && (
                  <Badge variant="outline" title="Hidden from the client's contacts">
                    Internal
                  </Badge>
                )}
                <span>
                  · {new Date(c.created_at).toLocaleString()}
                  {c.edited_at && ' · edited'}
                </span>
              </p>
              {editing === c.id ? (
                <CommentEditor
                  people={people}
                  initial={c.body_json as JSONContent}
                  submitLabel="Save"
                  pending={update.isPending}
                  error={errorText(update.error)}
                  onSubmit={(body) => update.mutateAsync({ commentId: c.id, body }).then(() => setEditing(null))}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                // body_html is sanitised by the server (bluemonday UGC policy) before it is stored.
                <div className="rich-text" dangerouslySetInnerHTML={{ __html: c.body_html }} />
              )}
              {editing !== c.id && (c.author_id === userId || mayDelete(c)) && (
                <div className="mt-2 flex gap-1">
                  {c.author_id === userId && can('tasks.write') && (
                    <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(c.id)}>
                      Edit
                    </Button>
                  )}
                  {mayDelete(c) && can('tasks.write') && (
                    <Button
                      type="button"
                      size="sm"
                      variant="ghost"
                      disabled={remove.isPending}
                      onClick={() => window.confirm('Delete this comment?') && remove.mutate(c.id)}
                    >
                      Delete
                    </Button>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {can('tasks.write') && (
        <CommentEditor
          people={people}
          submitLabel="Comment"
          internalOption
          pending={create.isPending}
          error={errorText(create.error)}
          onSubmit={(body) => create.mutateAsync(body)}
        />
      )}
    </section>
  )
}

addTaskDrawerSection({ id: 'comments', Component: CommentsSection })
