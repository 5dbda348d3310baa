import { Loader2Icon, ShieldCheckIcon } from 'lucide-react'
import { useState } from 'react'
import { toast } from 'sonner'
import type { TwoFactorSetup, User } from '@/api/types'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { useDisableTwoFactor, useRegenerateBackupCodes, useSetupTwoFactor } from '../data/api'
import { BackupCodesPanel } from './backup-codes-panel'
import { CodeActionForm } from './code-action-form'
import { TwoFactorEnrol } from './two-factor-enrol'

/** Two-factor sign-in: enrol, show backup codes once, turn off, or issue new backup codes. */
export function TwoFactorCard({ user }: { user: User }) {
  const [setup, setSetup] = useState<TwoFactorSetup>()
  const [codes, setCodes] = useState<string[]>()
  const start = useSetupTwoFactor()
  const disable = useDisableTwoFactor()
  const regenerate = useRegenerateBackupCodes()

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-lg">
          Two-factor sign-in
          {user.two_factor_enabled && (
            <Badge>
              <ShieldCheckIcon aria-hidden="true" />
              On
            </Badge>
          )}
        </CardTitle>
        <CardDescription>After your password, sign-in asks for a code from an authenticator app on your phone.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {codes && <BackupCodesPanel codes={codes} onDone={() => setCodes(undefined)} />}
        {!user.two_factor_enabled && !setup && (
          <div>
            <Button onClick={() => start.mutate(undefined, { onSuccess: setSetup })} disabled={start.isPending}>
              {start.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Set up two-factor sign-in
            </Button>
          </div>
        )}
        {!user.two_factor_enabled && setup && (
          <TwoFactorEnrol
            setup={setup}
            onCancel={() => setSetup(undefined)}
            onEnabled={(backupCodes) => {
              setSetup(undefined)
              setCodes(backupCodes)
              toast.success('Two-factor sign-in is on')
            }}
          />
        )}
        {user.two_factor_enabled && !codes && (
          <div className="grid gap-6 sm:grid-cols-2">
            <CodeActionForm
              label="Code for new backup codes"
              action="Get new backup codes"
              onSubmit={async (code) => setCodes((await regenerate.mutateAsync(code)).backup_codes)}
            />
            <CodeActionForm
              label="Code to turn it off"
              action="Turn off two-factor sign-in"
              variant="destructive"
              onSubmit={async (code) => {
                await disable.mutateAsync(code)
                toast.success('Two-factor sign-in is off')
              }}
            />
          </div>
        )}
      </CardContent>
    </Card>
  )
}
