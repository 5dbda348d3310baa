import { useQueryClient } from '@tanstack/react-query'
import { EyeIcon, LogOutIcon } from 'lucide-react'
import { useEffect, useMemo, useRef } from 'react'
import { Link, Navigate, NavLink, Outlet, useParams, useSearchParams } from 'react-router'
import { OrgAccessBlocked } from '@/components/layout/org-access-blocked'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { useMe } from '@/features/auth/data/api'
import { useSignOutAndLeave } from '@/features/auth/data/use-sign-out-and-leave'
import { NotFoundPage } from '@/features/errors/not-found-page'
import { LiveUpdates } from '@/features/live/live-updates'
import { NotificationBell } from '@/features/notifications/components/notification-bell'
import { useUnreadCount } from '@/features/notifications/data/api'
import { useBranding } from '@/features/org-settings/data/branding'
import { VerifyEmailBanner } from '@/features/verify-email/components/verify-email-banner'
import { initials } from '@/lib/format'
import { rememberOrg } from '@/lib/last-org'
import { useOrgAccessBlock } from '@/lib/org-access-block'
import { cn } from '@/lib/utils'
import { portalAccess } from './data/access'
import { portalKeys, usePortalSummary } from './data/api'
import { PortalScopeContext } from './data/context'
import { brandVariables, portalTheme } from './data/palette'
import { portalPath, type PortalScope } from './data/scope'
import type { Branding } from './data/types'

/**
 * /client-portal/:orgId/… — the client portal: a client contact sees their client's shared work; a staff
 * member sees it only as a preview (?preview=<client_id>), and without one goes back to the workspace.
 */
export function PortalLayout() {
  const { orgId = '' } = useParams()
  const [params] = useSearchParams()
  const { data: me } = useMe()
  const access = portalAccess(me?.memberships ?? [], orgId, params.get('preview'))
  const previewClientId = access.kind === 'preview' ? access.clientId : undefined
  const scope = useMemo<PortalScope>(() => ({ orgId, previewClientId }), [orgId, previewClientId])
  const block = useOrgAccessBlock(orgId)

  if (!me) return null
  if (block) return <OrgAccessBlocked block={block} />
  if (access.kind === 'none') {
    return <NotFoundPage title="Portal not found" message="It doesn't exist, or you're not a member of this organization." />
  }
  if (access.kind === 'workspace') return <Navigate to={access.path} replace />
  return (
    <PortalScopeContext.Provider value={scope}>
      <PortalShell scope={scope} />
    </PortalScopeContext.Provider>
  )
}

const navItems = [
  { to: '', label: 'Summary', end: true },
  { to: 'projects', label: 'Projects', end: false },
  { to: 'files', label: 'Files', end: false },
  { to: 'invoices', label: 'Invoices', end: false },
  { to: 'requests', label: 'Requests', end: false },
]

function PortalShell({ scope }: { scope: PortalScope }) {
  const branding = useBranding(scope.orgId)
  useBrandVariables(branding.data)
  useRefreshOnNotification(scope)
  const { data: me } = useMe()
  useEffect(() => {
    // A contact's home is this portal (see homePath); a preview must not change the staff member's.
    if (!scope.previewClientId) rememberOrg(scope.orgId)
  }, [scope])

  return (
    <div className="portal-theme flex min-h-full flex-col bg-muted/30" style={portalTheme}>
      {!scope.previewClientId && <LiveUpdates />}
      {scope.previewClientId && <PreviewBanner scope={scope} />}
      <header className="sticky top-0 z-30 border-t-4 border-b bg-background/95 backdrop-blur" style={{ borderTopColor: 'var(--primary)' }}>
        <div className="mx-auto flex h-14 w-full max-w-5xl items-center gap-2 px-3 sm:px-6">
          <Link to={portalPath(scope)} className="flex min-w-0 items-center gap-2 rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring">
            <OrgMark branding={branding.data} />
            <span className="truncate font-semibold">{branding.data?.name ?? ' '}</span>
          </Link>
          <div className="flex-1" />
          {!scope.previewClientId && <NotificationBell orgId={scope.orgId} />}
          {me && <AccountMenu name={me.user.name} email={me.user.email} />}
        </div>
        <nav aria-label="Portal" className="mx-auto w-full max-w-5xl overflow-x-auto px-1 sm:px-4">
          <ul className="flex sm:gap-1">
            {navItems.map((item) => (
              <li key={item.label}>
                <NavLink
                  to={portalPath(scope, item.to)}
                  end={item.end}
                  className={({ isActive }) =>
                    cn(
                      'inline-flex h-10 items-center border-b-2 px-2 text-sm sm:px-3 font-medium whitespace-nowrap outline-none focus-visible:ring-[3px] focus-visible:ring-ring',
                      isActive ? 'border-primary text-foreground' : 'border-transparent text-muted-foreground hover:text-foreground',
                    )
                  }
                >
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <VerifyEmailBanner user={me?.user} />
      <main className="mx-auto grid w-full max-w-5xl min-w-0 flex-1 content-start gap-6 px-3 py-6 sm:px-6">
        <Outlet />
      </main>
    </div>
  )
}

/** The organization's logo, or its initial on the brand colour while there is none. */
function OrgMark({ branding }: { branding: Branding | undefined }) {
  if (branding?.logo_url) {
    return <img src={branding.logo_url} alt={`${branding.name} logo`} className="h-8 w-auto max-w-28 shrink-0 object-contain" />
  }
  return (
    <span aria-hidden="true" className="grid size-8 shrink-0 place-items-center rounded-lg bg-primary text-sm font-bold text-primary-foreground">
      {initials(branding?.name ?? '')}
    </span>
  )
}

/** "Previewing the portal as <client>", with the way back to the client's page. */
function PreviewBanner({ scope }: { scope: PortalScope }) {
  const summary = usePortalSummary(scope)
  const name = summary.data?.client.name ?? 'this client'
  return (
    <div role="status" className="flex flex-wrap items-center justify-center gap-x-3 gap-y-1 bg-foreground px-3 py-2 text-center text-sm text-background">
      <span className="inline-flex items-center gap-2">
        <EyeIcon className="size-4" aria-hidden="true" />
        Previewing the portal as {name}
      </span>
      <Link to={`/orgs/${scope.orgId}/clients/${scope.previewClientId}`} className="font-medium underline underline-offset-4">
        Exit preview
      </Link>
    </div>
  )
}

/** The header's account menu: who is signed in, and Sign out. */
function AccountMenu({ name, email }: { name: string; email: string }) {
  const signOut = useSignOutAndLeave()
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full" aria-label="Account menu">
          {/* The initials are drawn by CSS: as text they would be a visible label missing from the button's name. */}
          <span
            aria-hidden="true"
            data-initials={initials(name)}
            className="grid size-8 place-items-center rounded-full bg-primary text-xs font-semibold text-primary-foreground after:content-[attr(data-initials)]"
          />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="grid gap-0.5 font-normal">
          <span className="truncate text-sm font-medium">{name}</span>
          <span className="truncate text-xs text-muted-foreground">{email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOut()}>
          <LogOutIcon aria-hidden="true" />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}

/**
 * Puts the branding answer's palette on the document (the server injected the same before first paint when
 * the portal was opened directly; after an in-app navigation, e.g. from accepting an invitation, it did not).
 */
function useBrandVariables(branding: Branding | undefined) {
  const vars = JSON.stringify(brandVariables(branding))
  useEffect(() => {
    const style = document.documentElement.style
    // The theme too: dialogs and menus render outside the portal's element, on the document.
    const entries = [...Object.entries(JSON.parse(vars) as Record<string, string>), ...Object.entries(portalTheme as Record<string, string>)]
    const before = entries.map(([name]) => [name, style.getPropertyValue(name)] as const)
    for (const [name, value] of entries) style.setProperty(name, value)
    return () => {
      for (const [name, value] of before) {
        if (value) style.setProperty(name, value)
        else style.removeProperty(name)
      }
    }
  }, [vars])
}

/**
 * A new notification (a request moved, a file shared) usually means the portal's data changed: refetch it
 * when the unread count goes up, so the contact sees a request's new status without reloading.
 */
function useRefreshOnNotification(scope: PortalScope) {
  const queryClient = useQueryClient()
  const unread = useUnreadCount(scope.previewClientId ? '' : scope.orgId)
  const count = unread.data?.unread_count
  const last = useRef(count)
  useEffect(() => {
    const before = last.current
    last.current = count
    if (count === undefined || before === undefined || count <= before) return
    void queryClient.invalidateQueries({ queryKey: portalKeys.all(scope) })
  }, [count, queryClient, scope])
}
