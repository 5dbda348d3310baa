import { ChevronsUpDownIcon, PlusIcon } from 'lucide-react'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import type { Membership } from '@/api/types'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { CreateOrganizationDialog } from '@/features/organizations/components/create-organization-dialog'

/** The header's organization picker, with "Create organization" at the end. */
export function OrgSwitcher({ memberships, currentOrgId }: { memberships: Membership[]; currentOrgId: string | undefined }) {
  const navigate = useNavigate()
  const [creating, setCreating] = useState(false)
  const current = memberships.find((m) => m.organization.id === currentOrgId)?.organization

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" className="max-w-[16rem] min-w-0 shrink gap-2 px-2" aria-label={current ? `Organization: ${current.name}. Switch organization` : 'Choose organization'}>
            <span aria-hidden="true" className="grid size-6 shrink-0 place-items-center rounded-md bg-primary/10 text-xs font-semibold text-primary">
              {(current?.name ?? '?').charAt(0).toUpperCase()}
            </span>
            <span className="truncate">{current?.name ?? 'Choose organization'}</span>
            <ChevronsUpDownIcon className="text-muted-foreground" aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <DropdownMenuLabel className="text-xs text-muted-foreground">Organizations</DropdownMenuLabel>
          {memberships.map(({ organization, role }) => (
            <DropdownMenuCheckboxItem
              key={organization.id}
              checked={organization.id === currentOrgId}
              onSelect={() => void navigate(`/orgs/${organization.id}/my-work`)}
            >
              <span className="truncate">{organization.name}</span>
              <span className="ml-auto text-xs text-muted-foreground capitalize">{role}</span>
            </DropdownMenuCheckboxItem>
          ))}
          {memberships.length > 0 && <DropdownMenuSeparator />}
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <PlusIcon aria-hidden="true" />
            Create organization
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <CreateOrganizationDialog open={creating} onOpenChange={setCreating} />
    </>
  )
}
