import { CopyIcon, DownloadIcon } from 'lucide-react'
import { toast } from 'sonner'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'

/** Freshly issued backup codes: shown once, with copy and download, until the user says they saved them. */
export function BackupCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = codes.join('\n') + '\n'
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      toast.success('Backup codes copied')
    } catch {
      toast.error("Couldn't copy: select the codes and copy them by hand")
    }
  }
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }))
    const a = Object.assign(document.createElement('a'), { href: url, download: 'clientflow-backup-codes.txt' })
    a.click()
    URL.revokeObjectURL(url)
  }
  return (
    <Alert role="status">
      <AlertTitle>Save your backup codes</AlertTitle>
      <AlertDescription className="grid gap-3">
        <p>Each code signs you in once if you lose your phone. They won't be shown again.</p>
        <ul aria-label="Backup codes" className="grid grid-cols-2 gap-x-6 gap-y-1 font-mono text-sm text-foreground">
          {codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="outline" size="sm" onClick={() => void copy()}>
            <CopyIcon aria-hidden="true" />
            Copy
          </Button>
          <Button type="button" variant="outline" size="sm" onClick={download}>
            <DownloadIcon aria-hidden="true" />
            Download
          </Button>
          <Button type="button" size="sm" onClick={onDone}>
            I saved them
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  )
}
