import { CheckIcon, CopyIcon } from 'lucide-react'
import { useState } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { cn } from '@/lib/utils'

/**
 * Code to read and copy. The block scrolls sideways on a narrow screen instead of widening the page, and
 * takes keyboard focus so it can be scrolled without a mouse.
 */
export function ReferenceCodeBlock({ code, label, className }: { code: string; label: string; className?: string }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code)
      setCopied(true)
      setTimeout(() => setCopied(false), 2000)
    } catch {
      toast.error("Couldn't copy: select the code and copy it yourself")
    }
  }
  return (
    <div className={cn('relative min-w-0 rounded-lg border bg-muted/40', className)}>
      <Button type="button" variant="outline" size="sm" className="absolute top-2 right-2 bg-background" onClick={() => void copy()} aria-label={`Copy ${label}`}>
        {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
        <span aria-live="polite">{copied ? 'Copied' : 'Copy'}</span>
      </Button>
      <pre tabIndex={0} aria-label={label} className="max-h-[32rem] overflow-auto p-4 pt-12 font-mono text-xs leading-relaxed outline-none focus-visible:ring-[3px] focus-visible:ring-ring sm:pt-4 sm:pr-28">
        <code>{code}</code>
      </pre>
    </div>
  )
}
