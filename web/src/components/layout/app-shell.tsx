import { MenuIcon } from 'lucide-react'
import { useState } from 'react'
import { Outlet, useParams } from 'react-router'
import { Button } from '@/components/ui/button'
import { Sheet, SheetContent, SheetTitle } from '@/components/ui/sheet'
import { useMe } from '@/features/auth/data/api'
import { RestrictedBanner } from '@/features/billing/components/restricted-banner'
import { UpgradePromptDialog } from '@/features/billing/components/upgrade-prompt-dialog'
import { LiveUpdates } from '@/features/live/live-updates'
import { NotificationBell } from '@/features/notifications/components/notification-bell'
import { CommandPalette } from '@/features/search/components/command-palette'
import { TimerControl } from '@/features/time/components/timer-control'
import { VerifyEmailBanner } from '@/features/verify-email/components/verify-email-banner'
import { preferredOrgId } from '@/lib/last-org'
import { SidebarNav } from './nav'
import { ShortcutHelp } from './shortcut-help'
import { OrgSwitcher } from './org-switcher'
import { UserMenu } from './user-menu'

/**
 * The signed-in workspace: sidebar, header with organization switcher and
 * user menu, the verify-your-email banner and the page. Outside /orgs/:orgId
 * (the dev mailbox) it keeps the remembered organization in the navigation.
 */
export function AppShell() {
  const { orgId: routeOrgId } = useParams()
  const { data: me } = useMe()
  const [navOpen, setNavOpen] = useState(false)
  const memberships = me?.memberships ?? []
  // An organization the user doesn't belong to gets a not-found page; the navigation stays on a real one.
  const isMember = memberships.some((m) => m.organization.id === routeOrgId)
  const orgId = isMember ? routeOrgId : preferredOrgId(memberships)

  return (
    <div className="flex h-full">
      {/* The first Tab stop of every page: past the navigation and the header to the page itself. */}
      <a
        href="#main"
        onClick={(e) => {
          e.preventDefault()
          document.getElementById('main')?.focus()
        }}
        className="sr-only rounded-md bg-background px-3 py-2 text-sm font-medium shadow-lg outline-none focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-[60] focus-visible:ring-[3px] focus-visible:ring-ring"
      >
        Skip to content
      </a>
      <LiveUpdates />
      <ShortcutHelp />
      <aside className="hidden w-64 shrink-0 border-r border-sidebar-border bg-sidebar md:block">
        <SidebarNav orgId={orgId} />
      </aside>
      <Sheet open={navOpen} onOpenChange={setNavOpen}>
        <SheetContent aria-describedby={undefined}>
          <SheetTitle className="sr-only">Navigation</SheetTitle>
          <SidebarNav orgId={orgId} onNavigate={() => setNavOpen(false)} />
        </SheetContent>
      </Sheet>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-2 border-b bg-background/95 px-3 backdrop-blur sm:px-6">
          <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation" onClick={() => setNavOpen(true)}>
            <MenuIcon />
          </Button>
          <OrgSwitcher memberships={memberships} currentOrgId={orgId} />
          <div className="flex-1" />
          {isMember && orgId && <CommandPalette key={orgId} orgId={orgId} />}
          {isMember && orgId && <TimerControl orgId={orgId} />}
          {isMember && orgId && <NotificationBell orgId={orgId} />}
          {me && <UserMenu user={me.user} />}
        </header>
        <main id="main" tabIndex={-1} className="flex min-w-0 flex-1 flex-col overflow-y-auto outline-none">
          {/* Inside the scrolling area: on a small screen it scrolls away instead of eating the viewport. */}
          <VerifyEmailBanner user={me?.user} />
          {isMember && <RestrictedBanner orgId={orgId} />}
          {/* The page gets the height below the banners: a page that fills it (the board) fits the window. */}
          <div className="min-h-0 flex-1">
            <Outlet />
          </div>
          <UpgradePromptDialog />
        </main>
      </div>
    </div>
  )
}
