import { CheckIcon, CopyIcon, TriangleAlertIcon } from 'lucide-react'
import { useState } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'

/**
 * A signing secret, shown this once: selectable, copyable, with a plain warning that it will not be shown
 * again and how receivers use it.
 */
export function WebhookSecretReveal({ secret, rotatedUntil }: { secret: string; rotatedUntil?: string | null }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret)
      setCopied(true)
      toast.success('Secret copied')
    } catch {
      toast.error("Couldn't copy: select the secret and copy it yourself")
    }
  }
  return (
    <div className="grid gap-3">
      <div role="alert" className="flex gap-2 rounded-md border border-amber-500/40 bg-amber-500/10 p-3 text-sm">
        <TriangleAlertIcon className="size-4 shrink-0 text-amber-600" aria-hidden="true" />
        <p>
          <strong>Copy the signing secret now: you will not see it again.</strong> Your receiver checks each delivery's
          X-ClientFlow-Signature with it (HMAC-SHA256 keyed with this whole string).
          {rotatedUntil && ` The previous secret keeps signing too until ${new Date(rotatedUntil).toLocaleString()}.`}
        </p>
      </div>
      <div className="grid gap-2">
        <label htmlFor="webhook-secret" className="text-sm font-medium">
          Signing secret
        </label>
        <div className="flex gap-2">
          <Input
            id="webhook-secret"
            data-testid="webhook-secret"
            readOnly
            value={secret}
            className="font-mono text-xs"
            onFocus={(event) => event.currentTarget.select()}
          />
          <Button type="button" variant="outline" onClick={() => void copy()} aria-label="Copy signing secret">
            {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
            <span className="hidden sm:inline">{copied ? 'Copied' : 'Copy'}</span>
          </Button>
        </div>
      </div>
    </div>
  )
}
