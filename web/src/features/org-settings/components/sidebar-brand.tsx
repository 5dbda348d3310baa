import { useState } from 'react'
import { Logo } from '@/components/layout/logo'
import { useBranding } from '../data/branding'

/**
 * The sidebar's mark: the organization's uploaded logo and name when it has one (and its plan includes custom
 * branding: the branding answer's logo_url is empty otherwise), else the ClientFlow mark.
 */
export function SidebarBrand({ orgId }: { orgId: string | undefined }) {
  const { data } = useBranding(orgId ?? '', Boolean(orgId))
  const [failedUrl, setFailedUrl] = useState<string>()
  if (!orgId || !data?.logo_url || failedUrl === data.logo_url) return <Logo />
  return (
    <span className="inline-flex min-w-0 items-center gap-2 text-lg font-semibold tracking-tight">
      <img src={data.logo_url} alt={`${data.name} logo`} className="size-7 shrink-0 rounded object-contain" onError={() => setFailedUrl(data.logo_url)} />
      <span className="truncate">{data.name}</span>
    </span>
  )
}
