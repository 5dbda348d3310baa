import { ActivityIcon, ListTodoIcon, ScrollTextIcon, LayoutDashboardIcon, BookOpenIcon, KeyRoundIcon, WebhookIcon, ClockIcon, CreditCardIcon, ContactIcon, ReceiptIcon, FolderKanbanIcon, LayoutTemplateIcon, MailIcon, SettingsIcon, ShieldCheckIcon, UsersIcon, type LucideIcon } from 'lucide-react'
import { NavLink } from 'react-router'
import { useIsDevelopment, useMe } from '@/features/auth/data/api'
import { SidebarBrand } from '@/features/org-settings/components/sidebar-brand'
import { cn } from '@/lib/utils'

export interface NavItem {
  label: string
  to: string
  icon: LucideIcon
}

/**
 * Billing is for the people who run the organization: those who manage the subscription (owners) or the
 * organization's settings (admins, read-only there). Members, managers and clients neither see it in the
 * navigation nor open the page.
 */
export function canSeeBilling(permissions: readonly string[]): boolean {
  return permissions.includes('billing.manage') || permissions.includes('settings.manage')
}

/** The workspace destinations the viewer may open (the sidebar and the command palette list them). */
export function useNavItems(orgId: string | undefined): NavItem[] {
  const isDevelopment = useIsDevelopment()
  const { data: me } = useMe()
  const canManageSettings = me?.memberships.some((m) => m.organization.id === orgId && m.permissions.includes('settings.manage'))
  const items: NavItem[] = []
  const permissions = me?.memberships.find((m) => m.organization.id === orgId)?.permissions ?? []
  if (orgId && permissions.includes('projects.read')) items.push({ label: 'My work', to: `/orgs/${orgId}/my-work`, icon: ListTodoIcon })
  if (orgId && permissions.includes('projects.read')) items.push({ label: 'Dashboard', to: `/orgs/${orgId}/dashboard`, icon: LayoutDashboardIcon })
  if (orgId) items.push({ label: 'Clients', to: `/orgs/${orgId}/clients`, icon: UsersIcon })
  if (orgId && canManageSettings) items.push({ label: 'Settings', to: `/orgs/${orgId}/settings`, icon: SettingsIcon })
  else if (orgId && permissions.includes('sso.manage')) items.push({ label: 'Settings', to: `/orgs/${orgId}/settings/security`, icon: SettingsIcon })
  if (orgId && canSeeBilling(permissions)) items.push({ label: 'Billing', to: `/orgs/${orgId}/billing`, icon: CreditCardIcon })
  if (orgId && permissions.includes('projects.read')) {
    items.push({ label: 'Projects', to: `/orgs/${orgId}/projects`, icon: FolderKanbanIcon })
    items.push({ label: 'Templates', to: `/orgs/${orgId}/templates`, icon: LayoutTemplateIcon })
    items.push({ label: 'Activity', to: `/orgs/${orgId}/activity`, icon: ActivityIcon })
  }
  if (orgId && permissions.includes('time.read')) items.push({ label: 'Timesheet', to: `/orgs/${orgId}/time`, icon: ClockIcon })
  if (orgId && permissions.includes('invoices.read')) items.push({ label: 'Invoices', to: `/orgs/${orgId}/invoices`, icon: ReceiptIcon })
  if (orgId && permissions.includes('members.read')) items.push({ label: 'Members', to: `/orgs/${orgId}/members`, icon: ContactIcon })
  if (orgId && permissions.includes('roles.manage')) items.push({ label: 'Roles & permissions', to: `/orgs/${orgId}/roles`, icon: ShieldCheckIcon })
  if (orgId && permissions.includes('api_keys.manage')) items.push({ label: 'API keys', to: `/orgs/${orgId}/api-keys`, icon: KeyRoundIcon })
  if (orgId && permissions.includes('webhooks.manage')) items.push({ label: 'Webhooks', to: `/orgs/${orgId}/webhooks`, icon: WebhookIcon })
  if (orgId && permissions.includes('audit.read')) items.push({ label: 'Audit log', to: `/orgs/${orgId}/audit-log`, icon: ScrollTextIcon })
  if (orgId) items.push({ label: 'API reference', to: '/developer', icon: BookOpenIcon })
  if (isDevelopment) items.push({ label: 'Mailbox', to: '/dev/mailbox', icon: MailIcon })
  return items
}

/** The logo and the workspace navigation, used by the sidebar and the mobile sheet. */
export function SidebarNav({ orgId, onNavigate }: { orgId: string | undefined; onNavigate?: () => void }) {
  const items = useNavItems(orgId)
  const isDevelopment = useIsDevelopment()
  return (
    <div className="flex h-full flex-col">
      <div className="flex h-14 items-center px-4">
        <SidebarBrand orgId={orgId} />
      </div>
      <nav aria-label="Main" className="flex-1 px-3 py-2">
        <ul className="grid gap-1">
          {items.map((item) => (
            <li key={item.to}>
              <NavLink
                to={item.to}
                onClick={onNavigate}
                className={({ isActive }) =>
                  cn(
                    'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-sidebar-foreground/80 outline-none hover:bg-sidebar-accent hover:text-sidebar-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring',
                    isActive && 'bg-sidebar-accent text-sidebar-accent-foreground',
                  )
                }
              >
                <item.icon className="size-4" aria-hidden="true" />
                {item.label}
                {item.to === '/dev/mailbox' && (
                  <span className="ml-auto rounded bg-amber-100 px-1.5 py-0.5 text-[10px] font-semibold tracking-wide text-amber-800 uppercase">
                    Dev
                  </span>
                )}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {isDevelopment && <p className="px-6 py-4 text-xs text-muted-foreground">Development server</p>}
    </div>
  )
}
