import { CheckIcon, CopyIcon, TriangleAlertIcon } from 'lucide-react'
import { useId, useState, type ReactNode } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'

/**
 * A credential the server shows this once (an API key, a webhook signing secret): a warning that says so,
 * then the value, selectable and with a copy button. `children` is the warning's text.
 */
export function ShownOnceSecret({ label, value, testId, children }: { label: string; value: string; testId: string; children: ReactNode }) {
  const [copied, setCopied] = useState(false)
  const id = useId()
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied(true)
      toast.success(`${label} copied`)
    } catch {
      toast.error(`Couldn't copy: select the ${label.toLowerCase()} and copy it yourself`)
    }
  }
  return (
    <div className="grid gap-3">
      <div role="alert" className="flex gap-2 rounded-md border border-amber-500/40 bg-amber-500/10 p-3 text-sm">
        <TriangleAlertIcon className="size-4 shrink-0 text-amber-600" aria-hidden="true" />
        <p>{children}</p>
      </div>
      <div className="grid gap-2">
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <div className="flex gap-2">
          <Input id={id} data-testid={testId} readOnly value={value} className="font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
          <Button type="button" variant="outline" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
            {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
            <span className="hidden sm:inline">{copied ? 'Copied' : 'Copy'}</span>
          </Button>
        </div>
      </div>
    </div>
  )
}
