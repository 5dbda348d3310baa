import { Loader2Icon } from 'lucide-react'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { ConfirmDeleteDialog, deleteWithFeedback } from '@/components/confirm-delete-dialog'
import { CopyField } from '@/components/copy-field'
import { FormAlert } from '@/components/form-alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { formatDate } from '@/lib/format'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useClaimDomain, useRemoveDomain, useVerifyDomain, type SSODomain } from '../data/security'

/** Claimed email domains: add one, prove it with its DNS TXT record, remove it. */
export function ClaimedDomainsCard({ orgId, domains }: { orgId: string; domains: SSODomain[] }) {
  const claim = useClaimDomain(orgId)
  const form = useForm({ defaultValues: { domain: '' } })
  const { errors, isSubmitting } = form.formState

  const onSubmit = form.handleSubmit(async ({ domain }) => {
    if (domain.trim() === '') {
      form.setError('domain', { message: 'Enter a domain such as example.com.' })
      return
    }
    try {
      const claimed = await claim.mutateAsync(domain.trim())
      form.reset()
      toast.success(`${claimed.domain} claimed`, { description: 'Publish the TXT record shown, then verify.' })
    } catch (error) {
      showApiErrorOnForm(error, form.setError, ['domain'])
    }
  })

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Claimed domains</CardTitle>
        <CardDescription>
          People whose email address is at a verified domain are sent to your identity provider when they choose Continue with SSO.
          Because your identity provider then speaks for every address at the domain, you must prove the domain is yours by publishing a
          DNS TXT record there (an email address at the domain would prove one mailbox, not the domain).
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <form onSubmit={onSubmit} noValidate className="grid gap-3" aria-label="Claim a domain">
          <FormAlert message={errors.root?.server?.message} />
          <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
            <div className="flex-1">
              <FormField label="Domain" error={errors.domain?.message}>
                <Input placeholder="example.com" autoComplete="off" spellCheck={false} inputMode="url" {...form.register('domain')} />
              </FormField>
            </div>
            <Button type="submit" className="sm:mt-[1.375rem]" disabled={isSubmitting}>
              {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Add domain
            </Button>
          </div>
        </form>
        {domains.length === 0 ? (
          <p className="text-sm text-muted-foreground">No domains claimed yet.</p>
        ) : (
          <ul className="grid gap-4" aria-label="Claimed domains">
            {domains.map((d) => (
              <DomainItem key={d.domain} orgId={orgId} domain={d} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}

function DomainItem({ orgId, domain: d }: { orgId: string; domain: SSODomain }) {
  const verify = useVerifyDomain(orgId)
  const remove = useRemoveDomain(orgId)
  const [confirmRemove, setConfirmRemove] = useState(false)
  const [verifyError, setVerifyError] = useState<string>()

  const onVerify = async () => {
    setVerifyError(undefined)
    try {
      await verify.mutateAsync(d.domain)
      toast.success(`${d.domain} is verified`)
    } catch (error) {
      if (error instanceof ApiError && !error.isServerError) setVerifyError(error.detail)
    }
  }

  return (
    <li className="grid min-w-0 gap-3 rounded-lg border p-4">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium [overflow-wrap:anywhere]">{d.domain}</span>
        {d.verified ? (
          <Badge variant="success">
            Verified{d.verified_method === 'dns_txt' ? ' by DNS' : ''}
          </Badge>
        ) : (
          <Badge variant="outline">Not verified</Badge>
        )}
        {d.verified_at && <span className="text-xs text-muted-foreground">since {formatDate(d.verified_at)}</span>}
        <Button variant="ghost" size="sm" className="ml-auto text-destructive" aria-label={`Remove ${d.domain}`} onClick={() => setConfirmRemove(true)}>
          Remove
        </Button>
      </div>
      {!d.verified && (
        <div className="grid gap-3">
          <p className="text-sm text-muted-foreground">Add this TXT record at your DNS provider, wait for it to publish, then verify.</p>
          <CopyField label={`TXT record name for ${d.domain}`} value={d.txt_name} />
          <CopyField label={`TXT record value for ${d.domain}`} value={d.txt_value} />
          {verifyError && (
            <p role="alert" className="text-sm text-destructive">
              {verifyError}
            </p>
          )}
          <div>
            <Button variant="outline" disabled={verify.isPending} onClick={() => void onVerify()} aria-label={`Verify ${d.domain}`}>
              {verify.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Verify
            </Button>
          </div>
        </div>
      )}
      <ConfirmDeleteDialog
        open={confirmRemove}
        onOpenChange={setConfirmRemove}
        title={`Remove ${d.domain}?`}
        description="People at this domain are no longer sent to your identity provider by Continue with SSO."
        confirmLabel="Remove domain"
        onConfirm={() =>
          deleteWithFeedback(() => remove.mutateAsync(d.domain), {
            deleted: `${d.domain} removed`,
            gone: `${d.domain} was already removed`,
            failed: `Couldn't remove ${d.domain}`,
          })
        }
      />
    </li>
  )
}
