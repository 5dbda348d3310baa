import { NavLink } from 'react-router'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { cn } from '@/lib/utils'

/** The organization settings' heading and tabs: General for everyone, Security with sso.manage. */
export function SettingsHeader({ orgId, description }: { orgId: string; description: string }) {
  const { can } = useOrgPermissions(orgId)
  const links = [{ to: `/orgs/${orgId}/settings`, label: 'General' }]
  if (can('sso.manage')) links.push({ to: `/orgs/${orgId}/settings/security`, label: 'Security' })
  return (
    <div className="grid gap-4">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      {links.length > 1 && (
        <nav aria-label="Settings" className="flex gap-1 border-b">
          {links.map((l) => (
            <NavLink
              key={l.to}
              to={l.to}
              end
              className={({ isActive }) =>
                cn(
                  '-mb-px border-b-2 px-3 py-2 text-sm font-medium',
                  isActive ? 'border-primary text-foreground' : 'border-transparent text-muted-foreground hover:text-foreground',
                )
              }
            >
              {l.label}
            </NavLink>
          ))}
        </nav>
      )}
    </div>
  )
}
