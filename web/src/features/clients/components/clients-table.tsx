import { PencilIcon, Trash2Icon } from 'lucide-react'
import { Link } from 'react-router'
import type { Client } from '@/api/types'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { formatDate } from '@/lib/format'
import { cn } from '@/lib/utils'
import { ClientStatusBadge } from './client-status-badge'

const columns = {
  company: 'hidden sm:table-cell',
  email: 'hidden md:table-cell',
  phone: 'hidden xl:table-cell',
  created: 'hidden lg:table-cell',
}

function Empty() {
  return <span className="text-muted-foreground/60">—</span>
}

/** The clients of one page; a row click edits, per-row buttons edit or (given onDelete) delete. */
export function ClientsTable({
  clients,
  stale,
  onEdit,
  onDelete,
}: {
  clients: Client[]
  stale: boolean
  onEdit: (client: Client) => void
  onDelete?: (client: Client) => void
}) {
  return (
    <Table aria-busy={stale} className={cn('transition-opacity', stale && 'opacity-60')}>
      <caption className="sr-only">Clients</caption>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Name</TableHead>
          <TableHead className={columns.company}>Company</TableHead>
          <TableHead className={columns.email}>Email</TableHead>
          <TableHead className={columns.phone}>Phone</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className={columns.created}>Created</TableHead>
          <TableHead className="w-24 text-right">
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {clients.map((client) => (
          <TableRow key={client.id} className="cursor-pointer" onClick={() => onEdit(client)}>
            <TableCell className="max-w-[16rem]">
              {/* The name opens the client's page; the rest of the row edits. */}
              <Link to={client.id} className="block truncate font-medium hover:underline" onClick={(event) => event.stopPropagation()}>
                {client.name}
              </Link>
              <div className="truncate text-xs text-muted-foreground md:hidden">{client.email || client.company}</div>
            </TableCell>
            <TableCell className={cn(columns.company, 'max-w-[12rem] truncate')}>{client.company || <Empty />}</TableCell>
            <TableCell className={cn(columns.email, 'max-w-[16rem] truncate')}>
              {client.email ? (
                <a href={`mailto:${client.email}`} className="hover:underline" onClick={(event) => event.stopPropagation()}>
                  {client.email}
                </a>
              ) : (
                <Empty />
              )}
            </TableCell>
            <TableCell className={columns.phone}>{client.phone || <Empty />}</TableCell>
            <TableCell>
              <ClientStatusBadge status={client.status} />
            </TableCell>
            <TableCell className={cn(columns.created, 'text-muted-foreground')}>
              <time dateTime={client.created_at}>{formatDate(client.created_at)}</time>
            </TableCell>
            <TableCell className="text-right" onClick={(event) => event.stopPropagation()}>
              <div className="flex justify-end gap-1">
                <Button variant="ghost" size="icon-sm" aria-label={`Edit ${client.name}`} title="Edit" onClick={() => onEdit(client)}>
                  <PencilIcon />
                </Button>
                {onDelete && (
                  <Button
                    variant="ghost"
                    size="icon-sm"
                    className="text-muted-foreground hover:text-destructive"
                    aria-label={`Delete ${client.name}`}
                    title="Delete"
                    onClick={() => onDelete(client)}
                  >
                    <Trash2Icon />
                  </Button>
                )}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}

/** Placeholder rows while the first page loads. */
export function ClientsTableSkeleton() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading clients" className="divide-y">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="flex items-center gap-4 px-3 py-4">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="hidden h-4 w-28 sm:block" />
          <Skeleton className="hidden h-4 w-44 md:block" />
          <Skeleton className="ml-auto h-5 w-16 rounded-full" />
        </div>
      ))}
    </div>
  )
}
