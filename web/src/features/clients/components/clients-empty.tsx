import { SearchXIcon, UsersIcon } from 'lucide-react'
import { Button } from '@/components/ui/button'
import type { ClientStatus } from '../data/schema'

/** The organization has no clients at all: explain what they are and, given onCreate, offer to add one. */
export function NoClientsYet({ onCreate }: { onCreate?: () => void }) {
  return (
    <div className="flex flex-col items-center gap-3 px-6 py-16 text-center">
      <div className="grid size-12 place-items-center rounded-full bg-primary/10 text-primary">
        <UsersIcon className="size-6" aria-hidden="true" />
      </div>
      <h2 className="text-lg font-semibold">No clients yet</h2>
      <p className="max-w-sm text-sm text-muted-foreground">
        Clients are the companies and people your agency works for. Add one to start tracking their projects and invoices.
      </p>
      {onCreate && (
        <Button className="mt-2" onClick={onCreate}>
          Add your first client
        </Button>
      )}
    </div>
  )
}

/** A search or filter matched nothing: say what was searched and offer a way back. */
export function NoMatchingClients({ q, status, onClear }: { q: string; status: ClientStatus | undefined; onClear: () => void }) {
  const among = status ? ` among ${status} clients` : ''
  return (
    <div className="flex flex-col items-center gap-3 px-6 py-16 text-center">
      <div className="grid size-12 place-items-center rounded-full bg-muted text-muted-foreground">
        <SearchXIcon className="size-6" aria-hidden="true" />
      </div>
      <h2 className="text-lg font-semibold">No matching clients</h2>
      <p className="max-w-sm text-sm text-muted-foreground">
        {q ? `Nothing matches “${q}”${among}.` : `There are no ${status ?? ''} clients.`} Search looks at names, emails and companies.
      </p>
      <Button variant="outline" className="mt-2" onClick={onClear}>
        Clear filters
      </Button>
    </div>
  )
}
