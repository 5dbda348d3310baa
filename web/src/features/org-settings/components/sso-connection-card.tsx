import { zodResolver } from '@hookform/resolvers/zod'
import { AlertCircleIcon, CheckCircle2Icon, ExternalLinkIcon, Loader2Icon } from 'lucide-react'
import { useState } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import { toast } from 'sonner'
import { ConfirmDeleteDialog, deleteWithFeedback } from '@/components/confirm-delete-dialog'
import { CopyField } from '@/components/copy-field'
import { FormAlert } from '@/components/form-alert'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { NativeSelect } from '@/components/ui/native-select'
import { Textarea } from '@/components/ui/textarea'
import { formatDateTime } from '@/lib/format'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useDeleteSSOConnection, useSaveSSOConnection, type SecuritySettings } from '../data/security'
import { issuerForPreset, issuerPlaceholders, ssoFormDefaults, ssoFormSchema, ssoRequestFrom, type SSOFormValues } from '../data/sso-form'
import type { SSOTestResult } from '../data/sso-test-popup'

const fields = ['oidc_issuer', 'oidc_client_id', 'oidc_client_secret', 'saml_metadata_url', 'saml_metadata_xml', 'default_role'] as const

/** The organization's identity provider: protocol, what to give the IdP, what it gave us, the default role; save, test, remove. */
export function SSOConnectionCard({
  orgId,
  settings,
  test,
}: {
  orgId: string
  settings: SecuritySettings
  test: { result: SSOTestResult | null; running: boolean; start: () => void }
}) {
  const connection = settings.connection
  const save = useSaveSSOConnection(orgId)
  const remove = useDeleteSSOConnection(orgId)
  const [confirmRemove, setConfirmRemove] = useState(false)
  const form = useForm<SSOFormValues>({
    resolver: zodResolver(ssoFormSchema(connection?.has_client_secret ?? false)),
    defaultValues: ssoFormDefaults(connection),
  })
  const { errors, isSubmitting, isDirty } = form.formState
  const [protocol, samlSource, issuer] = useWatch({ control: form.control, name: ['protocol', 'saml_source', 'oidc_issuer'] })
  const sp = settings.service_provider
  const placeholders = issuerPlaceholders(issuer)

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const saved = await save.mutateAsync(ssoRequestFrom(values))
      form.reset(ssoFormDefaults((saved as SecuritySettings).connection))
      toast.success('SSO connection saved', { description: 'Test it to make sure your identity provider signs people in.' })
    } catch (error) {
      showApiErrorOnForm(error, form.setError, fields)
    }
  })

  const presetField = form.register('preset')

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">SSO connection</CardTitle>
        <CardDescription>
          Your identity provider (IdP) signs your people in. Register ClientFlow as an application there, then enter what it gives you.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {connection && (
          <p className="text-sm" data-testid="sso-last-success">
            {connection.last_success_at ? (
              <>
                <Badge variant="success">Working</Badge> Last successful sign-in {formatDateTime(connection.last_success_at)}
              </>
            ) : (
              <>
                <Badge variant="outline">Not tested</Badge> No sign-in has gone through this connection yet. Test it before requiring SSO.
              </>
            )}
          </p>
        )}
        {test.result && <TestResult result={test.result} />}
        <form onSubmit={onSubmit} noValidate className="grid gap-5" aria-label="SSO connection">
          <FormAlert message={errors.root?.server?.message} />
          <fieldset className="grid gap-2">
            <legend className="mb-2 text-sm font-medium">Protocol</legend>
            <div className="flex flex-wrap gap-x-6 gap-y-2">
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" value="oidc" className="size-4 accent-primary" {...form.register('protocol')} />
                OpenID Connect (OIDC)
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" value="saml" className="size-4 accent-primary" {...form.register('protocol')} />
                SAML 2.0
              </label>
            </div>
          </fieldset>

          {protocol === 'oidc' ? (
            <div className="grid gap-4">
              <CopyField
                label="Redirect URI"
                value={sp.oidc_redirect_uri}
                hint="Add this as an allowed redirect (callback) URI of the application in your IdP."
              />
              <FormField label="Provider" error={errors.preset?.message}>
                <NativeSelect
                  {...presetField}
                  onChange={(event) => {
                    void presetField.onChange(event)
                    const next = issuerForPreset(settings.presets, event.target.value, form.getValues('oidc_issuer'))
                    form.setValue('oidc_issuer', next, { shouldDirty: true })
                  }}
                >
                  {settings.presets.map((p) => (
                    <option key={p.key} value={p.key}>
                      {p.label}
                    </option>
                  ))}
                </NativeSelect>
              </FormField>
              <FormField
                label="Issuer URL"
                error={errors.oidc_issuer?.message}
                hint={
                  placeholders.length > 0
                    ? `Replace ${placeholders.map((p) => `{${p}}`).join(' and ')} with your own value.`
                    : 'The URL your IdP publishes its OpenID configuration under (without /.well-known/…).'
                }
              >
                <Input type="url" inputMode="url" autoComplete="off" spellCheck={false} {...form.register('oidc_issuer')} />
              </FormField>
              <div className="grid gap-4 sm:grid-cols-2">
                <FormField label="Client ID" error={errors.oidc_client_id?.message}>
                  <Input autoComplete="off" spellCheck={false} {...form.register('oidc_client_id')} />
                </FormField>
                <FormField
                  label="Client secret"
                  error={errors.oidc_client_secret?.message}
                  hint={connection?.has_client_secret ? 'Stored. Leave blank to keep it, or enter a new one to replace it.' : 'Shown once by your IdP; we never show it again.'}
                >
                  <Input
                    type="password"
                    autoComplete="new-password"
                    placeholder={connection?.has_client_secret ? '•••••••• (stored)' : undefined}
                    {...form.register('oidc_client_secret')}
                  />
                </FormField>
              </div>
            </div>
          ) : (
            <div className="grid gap-4">
              <CopyField label="SP metadata URL" value={sp.saml_metadata_url} hint="Most IdPs can read everything below from this URL." />
              <CopyField label="Entity ID" value={sp.saml_entity_id} />
              <CopyField label="ACS URL" value={sp.saml_acs_url} hint="The assertion consumer service (reply) URL." />
              <fieldset className="grid gap-2">
                <legend className="mb-2 text-sm font-medium">Your IdP's metadata</legend>
                <div className="flex flex-wrap gap-x-6 gap-y-2">
                  <label className="flex items-center gap-2 text-sm">
                    <input type="radio" value="url" className="size-4 accent-primary" {...form.register('saml_source')} />
                    From a URL
                  </label>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="radio" value="xml" className="size-4 accent-primary" {...form.register('saml_source')} />
                    Paste the XML
                  </label>
                </div>
              </fieldset>
              {samlSource === 'url' ? (
                <FormField label="IdP metadata URL" error={errors.saml_metadata_url?.message}>
                  <Input type="url" inputMode="url" autoComplete="off" spellCheck={false} {...form.register('saml_metadata_url')} />
                </FormField>
              ) : (
                <FormField label="IdP metadata XML" error={errors.saml_metadata_xml?.message}>
                  <Textarea rows={8} spellCheck={false} className="max-h-80 font-mono text-xs [overflow-wrap:anywhere]" {...form.register('saml_metadata_xml')} />
                </FormField>
              )}
            </div>
          )}

          <FormField label="Role for new members" error={errors.default_role?.message} hint="People who sign in through your IdP without an invitation join with this role.">
            <NativeSelect className="sm:max-w-60" {...form.register('default_role')}>
              <option value="member">Member</option>
              <option value="manager">Manager</option>
              <option value="admin">Admin</option>
            </NativeSelect>
          </FormField>

          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Save connection
            </Button>
            {connection && (
              <Button type="button" variant="outline" disabled={isDirty || test.running} onClick={test.start} aria-describedby={isDirty ? 'sso-test-hint' : undefined}>
                {test.running ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <ExternalLinkIcon aria-hidden="true" />}
                Test connection
              </Button>
            )}
            {connection && (
              <Button type="button" variant="ghost" className="text-destructive" onClick={() => setConfirmRemove(true)}>
                Remove connection
              </Button>
            )}
          </div>
          {connection && isDirty && (
            <p id="sso-test-hint" className="text-xs text-muted-foreground">
              Save your changes before testing.
            </p>
          )}
          {test.running && (
            <p role="status" className="text-sm text-muted-foreground">
              Finish signing in with your identity provider in the window that opened.
            </p>
          )}
        </form>
      </CardContent>
      <ConfirmDeleteDialog
        open={confirmRemove}
        onOpenChange={setConfirmRemove}
        title="Remove the SSO connection?"
        description="Nobody can sign in through your identity provider any more, and Require SSO is switched off. Members keep their accounts."
        confirmLabel="Remove connection"
        onConfirm={() =>
          deleteWithFeedback(() => remove.mutateAsync(), {
            deleted: 'SSO connection removed',
            gone: 'The SSO connection was already removed',
            failed: "Couldn't remove the SSO connection",
          })
        }
      />
    </Card>
  )
}

function TestResult({ result }: { result: SSOTestResult }) {
  if (result.ok) {
    return (
      <Alert data-testid="sso-test-result">
        <CheckCircle2Icon aria-hidden="true" className="text-success" />
        <AlertTitle>Test sign-in succeeded</AlertTitle>
        <AlertDescription className="[overflow-wrap:anywhere]">
          Your identity provider signed in {result.email || 'your account'}. You can now require SSO.
        </AlertDescription>
      </Alert>
    )
  }
  return (
    <Alert variant="destructive" data-testid="sso-test-result">
      <AlertCircleIcon aria-hidden="true" />
      <AlertTitle>Test sign-in failed</AlertTitle>
      <AlertDescription className="[overflow-wrap:anywhere]">{result.error}</AlertDescription>
    </Alert>
  )
}
