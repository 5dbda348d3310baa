import { useState } from 'react'
import { foregroundFor, isHttpsUrl } from '../data/schema'

/** A live preview of the sidebar mark and a primary button in the colour and logo being edited. */
export function BrandPreview({ name, color, logoUrl }: { name: string; color: string; logoUrl: string }) {
  const valid = /^#[0-9a-fA-F]{6}$/.test(color)
  const background = valid ? color.toLowerCase() : '#4f46e5'
  return (
    <section aria-label="Brand preview" className="grid gap-3 rounded-lg border bg-muted/30 p-4">
      <h3 className="text-sm font-medium">Preview</h3>
      <div className="flex flex-wrap items-center gap-4">
        <span className="inline-flex items-center gap-2 font-semibold">
          <LogoPreview url={logoUrl} name={name} color={background} />
          {name || 'Your organization'}
        </span>
        <span
          data-testid="brand-preview-button"
          className="inline-flex h-9 items-center rounded-md px-4 text-sm font-medium"
          style={{ backgroundColor: background, color: foregroundFor(background) }}
        >
          Primary button
        </span>
      </div>
    </section>
  )
}

function LogoPreview({ url, name, color }: { url: string; name: string; color: string }) {
  const [failedUrl, setFailedUrl] = useState<string>()
  if (isHttpsUrl(url.trim()) && failedUrl !== url) {
    return <img src={url.trim()} alt={`${name} logo`} className="size-8 rounded object-contain" onError={() => setFailedUrl(url)} />
  }
  return (
    <span
      aria-hidden="true"
      className="grid size-8 place-items-center rounded-lg text-sm font-bold"
      style={{ backgroundColor: color, color: foregroundFor(color) }}
    >
      {(name.trim()[0] ?? 'C').toUpperCase()}
    </span>
  )
}
