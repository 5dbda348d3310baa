import { KeyRoundIcon, Loader2Icon } from 'lucide-react'
import { useId, useState } from 'react'
import { FormAlert } from '@/components/form-alert'
import { ApiError } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { useRotateWebhookSecret, webhookGraceOptions, type WebhookEndpointWithSecret } from '../data/webhooks'
import { WebhookSecretReveal } from './webhook-secret-reveal'

/**
 * "Rotate secret": choose how long the old secret keeps signing beside the new one, then see the new secret
 * this once.
 */
export function WebhookRotateDialog({
  orgId,
  endpointId,
  open,
  onOpenChange,
}: {
  orgId: string
  endpointId: string
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const rotate = useRotateWebhookSecret(orgId, endpointId)
  const [grace, setGrace] = useState(24)
  const [rotated, setRotated] = useState<WebhookEndpointWithSecret>()
  const [error, setError] = useState<string>()
  const graceId = useId()
  const change = (next: boolean) => {
    if (!next) {
      setRotated(undefined)
      setError(undefined)
    }
    onOpenChange(next)
  }
  const submit = async () => {
    try {
      setRotated(await rotate.mutateAsync(grace))
    } catch (err) {
      if (err instanceof ApiError && !err.isServerError) setError(err.detail)
    }
  }
  return (
    <Dialog open={open} onOpenChange={change}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            <KeyRoundIcon className="size-5" aria-hidden="true" />
            {rotated ? 'New signing secret' : 'Rotate signing secret'}
          </DialogTitle>
          <DialogDescription>
            {rotated
              ? 'Put it in your receiver now.'
              : 'Deliveries are signed with a new secret. During the grace period they carry a signature with the old one too, so your receiver keeps verifying while you switch.'}
          </DialogDescription>
        </DialogHeader>
        {rotated ? (
          <>
            <WebhookSecretReveal secret={rotated.secret} rotatedUntil={rotated.endpoint.secret_rotated_until} />
            <DialogFooter>
              <Button type="button" onClick={() => change(false)}>
                Done
              </Button>
            </DialogFooter>
          </>
        ) : (
          <form
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault()
              void submit()
            }}
          >
            <FormAlert message={error} />
            <div className="grid gap-2">
              <Label htmlFor={graceId}>Old secret keeps signing for</Label>
              <NativeSelect id={graceId} value={grace} onChange={(e) => setGrace(Number(e.target.value))}>
                {webhookGraceOptions.map((o) => (
                  <option key={o.hours} value={o.hours}>
                    {o.label}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline">
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" disabled={rotate.isPending}>
                {rotate.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
                Rotate secret
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  )
}
