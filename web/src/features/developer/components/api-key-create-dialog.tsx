import { zodResolver } from '@hookform/resolvers/zod'
import { KeyRoundIcon, Loader2Icon } from 'lucide-react'
import { useId, useState } from 'react'
import { Controller, useForm } from 'react-hook-form'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { NativeSelect } from '@/components/ui/native-select'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { useMe } from '@/features/auth/data/api'
import {
  apiKeyCreateBody,
  apiKeyExpiries,
  apiKeySchema,
  scopeGroups,
  useCreateApiKey,
  usePermissionCatalogue,
  type ApiKeyCreated,
  type ApiKeyFormValues,
} from '../data/api-keys'
import { ShownOnceSecret } from './shown-once-secret'

/**
 * "Create API key": name, expiry and optional scopes; then the key itself, shown this once with a copy
 * button. Closing the dialog forgets the key.
 */
export function ApiKeyCreateDialog({ orgId, open, onOpenChange }: { orgId: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  const [created, setCreated] = useState<ApiKeyCreated>()
  const change = (next: boolean) => {
    if (!next) setCreated(undefined)
    onOpenChange(next)
  }
  return (
    <Dialog open={open} onOpenChange={change}>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-lg">
        {created ? (
          <KeyReveal created={created} onDone={() => change(false)} />
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Create API key</DialogTitle>
              <DialogDescription>The key acts as you in this organization, with your permissions or fewer.</DialogDescription>
            </DialogHeader>
            {open && <ApiKeyForm orgId={orgId} onCreated={setCreated} />}
          </>
        )}
      </DialogContent>
    </Dialog>
  )
}

function ApiKeyForm({ orgId, onCreated }: { orgId: string; onCreated: (created: ApiKeyCreated) => void }) {
  const create = useCreateApiKey(orgId)
  const permissions = useOrgPermissions(orgId)
  const { data: me } = useMe()
  const held = me?.memberships.find((m) => m.organization.id === orgId)?.permissions ?? []
  const catalogue = usePermissionCatalogue(orgId, permissions.can('roles.manage'))
  const form = useForm<ApiKeyFormValues>({
    resolver: zodResolver(apiKeySchema),
    defaultValues: { name: '', expiresIn: '90d', limitScopes: false, scopes: [] },
  })
  const { errors, isSubmitting } = form.formState
  const limitScopes = form.watch('limitScopes')
  const scopesId = useId()

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      onCreated(await create.mutateAsync(apiKeyCreateBody(values)))
    } catch (error) {
      showApiErrorOnForm(error, form.setError, ['name', 'scopes'])
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <FormAlert message={errors.root?.server?.message} />
      <FormField label="Name" hint="Where the key is used, e.g. “Zapier” or “Nightly export”." error={errors.name?.message} required>
        <Input autoComplete="off" autoFocus maxLength={100} {...form.register('name')} />
      </FormField>
      <FormField label="Expires" error={errors.expiresIn?.message}>
        <NativeSelect {...form.register('expiresIn')}>
          {apiKeyExpiries.map((e) => (
            <option key={e.value} value={e.value}>
              {e.label}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-0.5 size-4 accent-primary" {...form.register('limitScopes')} />
        <span>
          <span className="font-medium">Limit what this key may do</span>
          <span className="block text-muted-foreground">Otherwise it may do everything you can, now and later.</span>
        </span>
      </label>
      {limitScopes && (
        <fieldset aria-describedby={errors.scopes ? `${scopesId}-error` : undefined} className="grid gap-3 rounded-md border p-3">
          <legend className="px-1 text-sm font-medium">Permissions</legend>
          <Controller
            control={form.control}
            name="scopes"
            render={({ field }) => (
              <div className="grid gap-3">
                {scopeGroups(held, catalogue.data).map(({ group, items }) => (
                  <div key={group} role="group" aria-label={group} className="grid gap-1.5">
                    <p className="text-xs font-semibold tracking-wide uppercase">{group}</p>
                    {items.map((item) => (
                      <label key={item.key} className="flex items-start gap-2 text-sm">
                        <input
                          type="checkbox"
                          className="mt-0.5 size-4 shrink-0 accent-primary"
                          value={item.key}
                          checked={field.value.includes(item.key)}
                          onChange={(event) =>
                            field.onChange(event.target.checked ? [...field.value, item.key] : field.value.filter((k) => k !== item.key))
                          }
                        />
                        <span className="break-words">{item.label}</span>
                      </label>
                    ))}
                  </div>
                ))}
              </div>
            )}
          />
          {errors.scopes && (
            <p id={`${scopesId}-error`} role="alert" className="text-sm text-destructive">
              {errors.scopes.message}
            </p>
          )}
        </fieldset>
      )}
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button" variant="outline">
            Cancel
          </Button>
        </DialogClose>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Create key
        </Button>
      </DialogFooter>
    </form>
  )
}

/** The new key, shown once: selectable, copyable, and a plain warning that it will not be shown again. */
function KeyReveal({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  return (
    <>
      <DialogHeader>
        <DialogTitle className="flex items-center gap-2">
          <KeyRoundIcon className="size-5" aria-hidden="true" />
          Your new key “{created.api_key.name}”
        </DialogTitle>
        <DialogDescription>Send it as an Authorization: Bearer header on this organization's API routes.</DialogDescription>
      </DialogHeader>
      <ShownOnceSecret label="API key" value={created.key} testId="new-api-key">
        <strong>Copy it now: you will not see it again.</strong> We keep only a fingerprint of it. If you lose it, revoke it and create
        another.
      </ShownOnceSecret>
      <DialogFooter>
        <Button type="button" onClick={onDone}>
          Done
        </Button>
      </DialogFooter>
    </>
  )
}
