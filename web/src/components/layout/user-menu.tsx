import { FileDownIcon, LogOutIcon, ShieldIcon, UserIcon } from 'lucide-react'
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import type { User } from '@/api/types'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { useSignOutAndLeave } from '@/features/auth/data/use-sign-out-and-leave'
import { initials } from '@/lib/format'
import { setTheme, storedTheme, type Theme } from '@/lib/theme'

/** The header's account menu: who is signed in, their exports in this organization, and Sign out. */
export function UserMenu({ user }: { user: User }) {
  const signOut = useSignOutAndLeave()
  const { orgId } = useParams()
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full" aria-label="Account menu">
          {user.avatar_url ? (
            <img src={user.avatar_url} alt="" className="size-8 rounded-full object-cover" />
          ) : (
            // The initials are drawn by CSS: as text they would be a visible label missing from the button's name.
            <span
              aria-hidden="true"
              data-initials={initials(user.name)}
              className="grid size-8 place-items-center rounded-full bg-primary text-xs font-semibold text-primary-foreground after:content-[attr(data-initials)]"
            />
          )}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="grid gap-0.5 font-normal">
          <span className="truncate text-sm font-medium">{user.name}</span>
          <span className="truncate text-xs text-muted-foreground">{user.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/account/profile">
            <UserIcon aria-hidden="true" />
            Profile
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link to="/account/security">
            <ShieldIcon aria-hidden="true" />
            Security
          </Link>
        </DropdownMenuItem>
        {orgId && (
          <DropdownMenuItem asChild>
            <Link to={`/orgs/${orgId}/exports`}>
              <FileDownIcon aria-hidden="true" />
              Recent exports
            </Link>
          </DropdownMenuItem>
        )}
        <DropdownMenuSeparator />
        <ThemeChoice />
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOut()}>
          <LogOutIcon aria-hidden="true" />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}

/** Light, dark, or as the system says: applied at once and remembered in this browser. */
function ThemeChoice() {
  const [theme, setChoice] = useState<Theme>(storedTheme)
  return (
    <>
      <DropdownMenuLabel className="text-xs font-normal text-muted-foreground">Appearance</DropdownMenuLabel>
      <DropdownMenuRadioGroup
        value={theme}
        onValueChange={(value) => {
          setChoice(value as Theme)
          setTheme(value as Theme)
        }}
      >
        <DropdownMenuRadioItem value="system">System</DropdownMenuRadioItem>
        <DropdownMenuRadioItem value="light">Light</DropdownMenuRadioItem>
        <DropdownMenuRadioItem value="dark">Dark</DropdownMenuRadioItem>
      </DropdownMenuRadioGroup>
    </>
  )
}
