import { useState } from 'react'
import { useNavigate } from 'react-router'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { useCreateWebhookEndpoint, type WebhookEndpointWithSecret } from '../data/webhooks'
import { WebhookEndpointForm } from './webhook-endpoint-form'
import { WebhookSecretReveal } from './webhook-secret-reveal'

/**
 * "Add endpoint": URL, description and events; then the signing secret, shown this once. Closing the dialog
 * forgets the secret.
 */
export function WebhookCreateDialog({ orgId, open, onOpenChange }: { orgId: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const create = useCreateWebhookEndpoint(orgId)
  const navigate = useNavigate()
  const [created, setCreated] = useState<WebhookEndpointWithSecret>()
  const change = (next: boolean) => {
    if (!next) setCreated(undefined)
    onOpenChange(next)
  }
  return (
    <Dialog open={open} onOpenChange={change}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-2xl">
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Endpoint added</DialogTitle>
              <DialogDescription className="break-all">{created.endpoint.url}</DialogDescription>
            </DialogHeader>
            <WebhookSecretReveal secret={created.secret} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => change(false)}>
                Done
              </Button>
              <Button
                type="button"
                onClick={() => {
                  change(false)
                  void navigate(`/orgs/${orgId}/webhooks/${created.endpoint.id}`)
                }}
              >
                Open endpoint
              </Button>
            </DialogFooter>
          </>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Add webhook endpoint</DialogTitle>
              <DialogDescription>We POST a signed JSON envelope to this URL whenever a chosen event happens.</DialogDescription>
            </DialogHeader>
            {open && (
              <WebhookEndpointForm
                defaultValues={{ url: '', description: '', events: [] }}
                submitLabel="Add endpoint"
                onSave={async (v) => setCreated(await create.mutateAsync({ url: v.url, description: v.description, events: v.events }))}
                footer={
                  <DialogClose asChild>
                    <Button type="button" variant="outline">
                      Cancel
                    </Button>
                  </DialogClose>
                }
              />
            )}
          </>
        )}
      </DialogContent>
    </Dialog>
  )
}
