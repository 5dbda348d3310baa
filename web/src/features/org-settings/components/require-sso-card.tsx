import { Loader2Icon } from 'lucide-react'
import { useId, useState } from 'react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { cn } from '@/lib/utils'
import { useSetSSORequired, type SecuritySettings } from '../data/security'

/** The "Require SSO" switch, usable once a sign-in through the connection has succeeded. */
export function RequireSSOCard({ orgId, settings }: { orgId: string; settings: SecuritySettings }) {
  const setRequired = useSetSSORequired(orgId)
  const [error, setError] = useState<string>()
  const id = useId()
  const on = settings.sso_required
  const ready = Boolean(settings.connection?.last_success_at)
  const disabled = setRequired.isPending || (!on && !ready)

  const toggle = async () => {
    setError(undefined)
    try {
      await setRequired.mutateAsync(!on)
      toast.success(on ? 'SSO is no longer required' : 'SSO is now required')
    } catch (e) {
      if (e instanceof ApiError && !e.isServerError) setError(e.detail)
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Require SSO</CardTitle>
        <CardDescription>
          Members must sign in through your identity provider to open this organization; other sessions are sent there first. Owners keep
          their password as a break-glass for when the IdP is down — each such sign-in is audited and emailed to every owner. API keys are
          not affected.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <FormAlert message={error} />
        <div className="flex items-center justify-between gap-4">
          <label htmlFor={id} className="text-sm font-medium">
            Require sign-in through your identity provider
          </label>
          <button
            id={id}
            type="button"
            role="switch"
            aria-checked={on}
            aria-describedby={!ready && !on ? `${id}-hint` : undefined}
            disabled={disabled}
            onClick={() => void toggle()}
            className={cn(
              'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 border-transparent transition-colors outline-none focus-visible:ring-[3px] focus-visible:ring-ring disabled:cursor-not-allowed disabled:opacity-50',
              on ? 'bg-primary' : 'bg-input',
            )}
          >
            <span className={cn('block size-5 rounded-full bg-background shadow transition-transform', on ? 'translate-x-5' : 'translate-x-0')} />
          </button>
        </div>
        {setRequired.isPending && (
          <p role="status" className="flex items-center gap-2 text-sm text-muted-foreground">
            <Loader2Icon className="size-4 animate-spin" aria-hidden="true" />
            Saving…
          </p>
        )}
        {!ready && !on && (
          <p id={`${id}-hint`} className="text-sm text-muted-foreground">
            {settings.connection
              ? 'Test the SSO connection first: it can be required once a sign-in through it has succeeded.'
              : 'Set up and test an SSO connection first.'}
          </p>
        )}
      </CardContent>
    </Card>
  )
}
