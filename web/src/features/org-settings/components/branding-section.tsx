import { ImageIcon, Loader2Icon, Trash2Icon, UploadIcon } from 'lucide-react'
import { useId, useRef, useState, type ComponentProps, type FormEvent } from 'react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { planFeatureError, UpgradePrompt, usePlanFeatures } from '@/components/upgrade-prompt'
import { cn } from '@/lib/utils'
import type { OrganizationSettings } from '@/api/types'
import { logoProblem, useBranding, useRemoveLogo, useUpdateBranding, useUploadLogo, type BrandingUpdate } from '../data/branding'
import { contrastRatio, derivePalette, describeContrast, isHexColor, senderPreview, type Palette } from '../data/palette'

/**
 * Settings → Branding: the logo (uploaded to the organization's file store), the brand colour with a live
 * preview of its accessible palette and contrast, and the sender name of client emails. Needs the plan's
 * custom_branding feature (else the upgrade prompt) and settings.manage to change anything.
 */
export function BrandingSection({ orgId, settings, readOnly }: { orgId: string; settings: OrganizationSettings; readOnly: boolean }) {
  const features = usePlanFeatures(orgId)
  const branding = useBranding(orgId)
  const [gap, setGap] = useState<string>()
  const available = features.has('custom_branding') && branding.data?.custom_branding !== false && gap === undefined
  const onError = (error: unknown) => {
    const refused = planFeatureError(error)
    if (refused) setGap(refused.detail)
    return refused !== null
  }

  return (
    <Card aria-labelledby="branding-title">
      <CardHeader>
        <CardTitle id="branding-title" className="text-lg">
          Branding
        </CardTitle>
        <CardDescription>Your logo, colour and sender name on the client portal, client emails and invoice PDFs.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {!available ? (
          <UpgradePrompt orgId={orgId} feature="custom_branding" detail={gap} />
        ) : (
          <>
            <LogoField orgId={orgId} logoUrl={branding.data?.logo_url || settings.logo_url} name={settings.name} readOnly={readOnly} onPlanError={onError} />
            <BrandingForm key={settings.updated_at} orgId={orgId} settings={settings} readOnly={readOnly} onPlanError={onError} />
          </>
        )}
      </CardContent>
    </Card>
  )
}

function LogoField({
  orgId,
  logoUrl,
  name,
  readOnly,
  onPlanError,
}: {
  orgId: string
  logoUrl: string
  name: string
  readOnly: boolean
  onPlanError: (error: unknown) => boolean
}) {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const upload = useUploadLogo(orgId)
  const remove = useRemoveLogo(orgId)
  const [error, setError] = useState<string>()
  const [failedUrl, setFailedUrl] = useState<string>()
  const busy = upload.isPending || remove.isPending

  const fail = (e: unknown, fallback: string) => {
    if (onPlanError(e) || (e instanceof ApiError && e.isServerError)) return
    setError(e instanceof ApiError ? (e.fieldErrors.file ?? e.detail) : fallback)
  }

  const onPick = async (file: File | undefined) => {
    if (input.current) input.current.value = ''
    if (!file) return
    const problem = logoProblem(file)
    setError(problem ?? undefined)
    if (problem) return
    try {
      await upload.mutateAsync(file)
      toast.success('Logo uploaded')
    } catch (e) {
      fail(e, "Couldn't upload the logo.")
    }
  }

  const onRemove = async () => {
    setError(undefined)
    try {
      await remove.mutateAsync()
      toast.success('Logo removed')
    } catch (e) {
      fail(e, "Couldn't remove the logo.")
    }
  }

  const showLogo = logoUrl !== '' && failedUrl !== logoUrl
  return (
    <section aria-labelledby={`${id}-title`} className="grid gap-2">
      <h3 id={`${id}-title`} className="text-sm font-medium">
        Logo
      </h3>
      <div className="flex flex-wrap items-center gap-4">
        <div className="grid size-16 shrink-0 place-items-center overflow-hidden rounded-lg border bg-muted/30">
          {showLogo ? (
            <img src={logoUrl} alt={`${name} logo`} className="size-full object-contain" onError={() => setFailedUrl(logoUrl)} />
          ) : (
            <ImageIcon aria-label="No logo" className="size-6 text-muted-foreground" />
          )}
        </div>
        {!readOnly && (
          <div className="flex flex-wrap gap-2">
            <input
              id={id}
              ref={input}
              type="file"
              accept="image/png,image/jpeg,image/webp,image/svg+xml"
              className="sr-only"
              tabIndex={-1}
              aria-hidden="true"
              onChange={(e) => void onPick(e.target.files?.[0])}
            />
            <Button type="button" variant="outline" size="sm" disabled={busy} aria-describedby={`${id}-hint`} onClick={() => input.current?.click()}>
              {upload.isPending ? <Loader2Icon className="animate-spin" aria-hidden="true" /> : <UploadIcon aria-hidden="true" />}
              {showLogo ? 'Replace logo' : 'Upload logo'}
            </Button>
            {logoUrl !== '' && (
              <Button type="button" variant="ghost" size="sm" disabled={busy} onClick={() => void onRemove()}>
                <Trash2Icon aria-hidden="true" />
                Remove
              </Button>
            )}
          </div>
        )}
      </div>
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        PNG, JPEG, WebP or SVG, up to 1 MB. A square image works best.
      </p>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
    </section>
  )
}

function BrandingForm({
  orgId,
  settings,
  readOnly,
  onPlanError,
}: {
  orgId: string
  settings: OrganizationSettings
  readOnly: boolean
  onPlanError: (error: unknown) => boolean
}) {
  const update = useUpdateBranding(orgId)
  const [color, setColor] = useState(settings.brand_color)
  const [sender, setSender] = useState(settings.sender_name)
  const [errors, setErrors] = useState<{ brand_color?: string; sender_name?: string; root?: string }>({})
  const validColor = isHexColor(color.trim())
  const palette = derivePalette(validColor ? color.trim() : settings.brand_color)
  const changes: BrandingUpdate = {}
  if (color.trim().toLowerCase() !== settings.brand_color.toLowerCase()) changes.brand_color = color.trim().toLowerCase()
  if (sender.trim() !== (settings.sender_name)) changes.sender_name = sender.trim()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const next: typeof errors = {}
    if (!validColor) next.brand_color = 'Use a hex colour like #4f46e5'
    if ([...sender.trim()].length > 60) next.sender_name = 'Use at most 60 characters'
    setErrors(next)
    if (Object.keys(next).length > 0 || Object.keys(changes).length === 0) return
    try {
      await update.mutateAsync(changes)
      toast.success('Branding saved')
    } catch (error) {
      if (onPlanError(error) || !(error instanceof ApiError) || error.isServerError) return
      const fields = error.fieldErrors
      setErrors({ brand_color: fields.brand_color, sender_name: fields.sender_name, root: fields.brand_color || fields.sender_name ? undefined : error.detail })
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="grid gap-4" aria-label="Colour and sender">
      <FormAlert message={errors.root} />
      <fieldset disabled={readOnly} className="grid gap-4 sm:grid-cols-2">
        <FormField label="Brand colour" required error={errors.brand_color} hint="Hex, e.g. #4f46e5. Text colours are derived to stay readable.">
          <ColorInput value={color} onChange={setColor} disabled={readOnly} />
        </FormField>
        <FormField label="Sender name" error={errors.sender_name} hint={`Client emails come from "${senderPreview(sender, settings.name)}".`}>
          <Input autoComplete="organization" maxLength={60} placeholder={settings.name} value={sender} onChange={(e) => setSender(e.target.value)} />
        </FormField>
      </fieldset>
      <PalettePreview palette={palette} name={settings.name} sender={senderPreview(sender, settings.name)} />
      {!readOnly && (
        <div className="flex justify-end">
          <Button type="submit" disabled={update.isPending || Object.keys(changes).length === 0}>
            {update.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
            Save branding
          </Button>
        </div>
      )}
    </form>
  )
}

/** A hex text field with a native colour picker beside it; FormField labels the text field. */
function ColorInput({
  value,
  onChange,
  disabled,
  ...props
}: Omit<ComponentProps<'input'>, 'value' | 'onChange'> & { value: string; onChange: (value: string) => void; disabled: boolean }) {
  const valid = isHexColor(value.trim())
  return (
    <div className="flex items-center gap-2">
      <input
        type="color"
        aria-label="Pick the brand colour"
        className="h-9 w-12 shrink-0 cursor-pointer rounded-md border border-input bg-transparent p-1 disabled:cursor-not-allowed"
        value={valid ? value.trim().toLowerCase() : '#000000'}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      />
      <Input autoComplete="off" spellCheck={false} maxLength={7} value={value} onChange={(e) => onChange(e.target.value)} {...props} />
    </div>
  )
}

/** The palette as the portal and emails will paint it, with each text pair's contrast. */
function PalettePreview({ palette, name, sender }: { palette: Palette; name: string; sender: string }) {
  const pairs = [
    { label: 'Button text on brand', ratio: contrastRatio(palette.on_brand, palette.brand) },
    { label: 'Brand text on white', ratio: contrastRatio(palette.brand_text, '#ffffff') },
    { label: 'Brand text on tint', ratio: contrastRatio(palette.brand_text, palette.brand_soft) },
  ]
  return (
    <section aria-label="Branding preview" className="grid gap-3 rounded-lg border bg-muted/30 p-4">
      <h3 className="text-sm font-medium">Preview</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="grid content-start gap-3 rounded-md border bg-white p-3 text-sm text-[#18181b]">
          <p className="text-xs text-[#52525b]">From: {sender}</p>
          <p className="font-semibold" style={{ color: palette.brand_text }}>
            {name || 'Your organization'}
          </p>
          <span
            data-testid="brand-preview-button"
            className="inline-flex h-9 w-fit items-center rounded-md px-4 font-medium"
            style={{ backgroundColor: palette.brand, color: palette.on_brand }}
          >
            View your project
          </span>
          <p className="rounded px-2 py-1" style={{ backgroundColor: palette.brand_soft, color: palette.brand_text }}>
            2 files shared with you
          </p>
        </div>
        <ul className="grid content-start gap-2 text-sm" aria-label="Contrast">
          {pairs.map(({ label, ratio }) => {
            const verdict = describeContrast(ratio)
            return (
              <li key={label} className="flex flex-wrap justify-between gap-x-3">
                <span>{label}</span>
                <span className={cn('tabular-nums', verdict.passes ? 'text-success' : 'text-destructive')}>{verdict.label}</span>
              </li>
            )
          })}
        </ul>
      </div>
    </section>
  )
}
