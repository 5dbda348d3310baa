import { useId, useRef, useState } from 'react'
import { Upload } from 'lucide-react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { ApiError } from '@/api/errors'
import { useUploadFile } from '../data/api'

/**
 * A button that picks a file and uploads it, with a progress bar while it travels, and a "Share with client"
 * checkbox that shows the file in the client's portal at once.
 */
export function FileUpload({ orgId, projectId, taskId }: { orgId: string; projectId: string; taskId?: string }) {
  const inputId = useId()
  const shareId = useId()
  const input = useRef<HTMLInputElement>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [share, setShare] = useState(false)
  const upload = useUploadFile(orgId, projectId, taskId)

  const onPick = (file: File | undefined) => {
    if (!file) return
    setError(null)
    setProgress(0)
    upload.mutate(
      { file, onProgress: setProgress, sharedWithClient: share },
      {
        onSuccess: (f) => toast.success(f.shared_with_client ? `Uploaded ${f.name} and shared it with the client` : `Uploaded ${f.name}`),
        onError: (e) => setError(e instanceof ApiError ? e.detail : 'The upload failed.'),
        onSettled: () => {
          setProgress(null)
          if (input.current) input.current.value = ''
        },
      },
    )
  }

  return (
    <div className="space-y-2">
      <input
        id={inputId}
        ref={input}
        type="file"
        className="sr-only"
        aria-label="Choose a file to upload"
        onChange={(e) => onPick(e.target.files?.[0])}
      />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Button type="button" variant="outline" size="sm" disabled={upload.isPending} onClick={() => input.current?.click()}>
          <Upload aria-hidden /> {upload.isPending ? 'Uploading…' : 'Upload file'}
        </Button>
        <label htmlFor={shareId} className="inline-flex items-center gap-2 text-sm">
          <input id={shareId} type="checkbox" className="size-4" checked={share} disabled={upload.isPending} onChange={(e) => setShare(e.target.checked)} />
          Share with client
        </label>
      </div>
      {progress !== null && (
        <div
          role="progressbar"
          aria-label="Upload progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(progress * 100)}
          className="h-1.5 w-full overflow-hidden rounded bg-muted"
        >
          <div className="h-full bg-primary transition-[width]" style={{ width: `${Math.round(progress * 100)}%` }} />
        </div>
      )}
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
    </div>
  )
}
