import { NavLink } from 'react-router'
import { cn } from '@/lib/utils'

const links = [
  { to: '/account/profile', label: 'Profile' },
  { to: '/account/security', label: 'Security' },
  { to: '/account/notifications', label: 'Notifications' },
]

/** The account pages' heading and tabs. */
export function AccountHeader({ description }: { description: string }) {
  return (
    <div className="grid gap-4">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      <nav aria-label="Account" className="flex gap-1 border-b">
        {links.map((l) => (
          <NavLink
            key={l.to}
            to={l.to}
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
    </div>
  )
}
