import { Download, FileText, Share2, Trash2 } from 'lucide-react'
import { toast } from 'sonner'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { ApiError } from '@/api/errors'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { planFeatureError } from '@/components/upgrade-prompt'
import { fileDownloadURL, formatBytes, useDeleteFile, useFiles, useShareFile, type ProjectFile } from '../data/api'
import { mayDeleteFile } from '../data/permissions'

/** A project's files (or a task's attachments): download through a signed URL, delete your own or, with files.delete, any. */
export function FileList({ orgId, projectId, taskId }: { orgId: string; projectId: string; taskId?: string }) {
  const files = useFiles(orgId, projectId, taskId)
  const remove = useDeleteFile(orgId, projectId)
  const share = useShareFile(orgId, projectId)
  const { can, userId } = useOrgPermissions(orgId)

  const toggleShare = (f: ProjectFile) =>
    share.mutate(
      { fileId: f.id, shared: !f.shared_with_client },
      {
        onSuccess: (saved) => toast.success(saved.shared_with_client ? `${f.name} is shared with the client` : `${f.name} is no longer shared`),
        onError: (e) => {
          if (!(e instanceof ApiError) || e.isServerError) return
          toast.error("Couldn't change sharing", { description: planFeatureError(e) ? `${e.detail} See Billing to upgrade.` : e.detail })
        },
      },
    )

  const download = async (fileId: string) => {
    try {
      const { url } = await fileDownloadURL(orgId, projectId, fileId)
      window.location.assign(url)
    } catch (e) {
      toast.error(e instanceof ApiError ? e.detail : 'The download link could not be created.')
    }
  }

  if (files.isPending) return <Skeleton className="h-16 w-full" aria-label="Loading files" />
  if (files.isError)
    return (
      <Alert variant="destructive">
        <AlertDescription>Files could not be loaded. {files.error.message}</AlertDescription>
      </Alert>
    )
  if (files.data.data.length === 0) return <p className="text-sm text-muted-foreground">No files yet.</p>

  return (
    <ul className="divide-y rounded-md border" aria-label="Files">
      {files.data.data.map((f) => (
        <li key={f.id} className="flex items-center gap-3 px-3 py-2 text-sm">
          <FileText aria-hidden className="size-4 shrink-0 text-muted-foreground" />
          <div className="min-w-0 flex-1">
            <p className="flex min-w-0 flex-wrap items-center gap-x-2">
              <span className="truncate font-medium">{f.name}</span>
              {f.shared_with_client && <Badge variant="success">Shared with client</Badge>}
            </p>
            <p className="text-xs text-muted-foreground">
              {formatBytes(f.size_bytes)} · {f.uploader_name || 'Former member'} · {new Date(f.created_at).toLocaleDateString()}
            </p>
          </div>
          {mayDeleteFile(can, userId, f.uploader_id) && (
            <Button
              type="button"
              variant="ghost"
              size="icon-sm"
              aria-pressed={Boolean(f.shared_with_client)}
              aria-label={f.shared_with_client ? `Stop sharing ${f.name} with the client` : `Share ${f.name} with the client`}
              title={f.shared_with_client ? 'Stop sharing with the client' : 'Share with client'}
              disabled={share.isPending}
              onClick={() => toggleShare(f)}
              className={f.shared_with_client ? 'text-success' : undefined}
            >
              <Share2 aria-hidden />
            </Button>
          )}
          <Button type="button" variant="ghost" size="icon-sm" aria-label={`Download ${f.name}`} onClick={() => download(f.id)}>
            <Download aria-hidden />
          </Button>
          {mayDeleteFile(can, userId, f.uploader_id) && (
            <Button
              type="button"
              variant="ghost"
              size="icon-sm"
              aria-label={`Delete ${f.name}`}
              disabled={remove.isPending}
              onClick={() => window.confirm(`Delete ${f.name}?`) && remove.mutate(f.id, { onError: (e) => toast.error(e.message) })}
            >
              <Trash2 aria-hidden />
            </Button>
          )}
        </li>
      ))}
    </ul>
  )
}
