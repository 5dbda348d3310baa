import { PlusIcon } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useParams } from 'react-router'
import type { Client } from '@/api/types'
import { CursorPager, ListLoadError, PageHeader } from '@/components/list-page'
import { NoAccess } from '@/components/no-access'
import { Button } from '@/components/ui/button'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { gatedProps, RoleHint, usePermissionGate } from '@/components/permission-gate'
import { currentCursor, hasPrevious, previousPage } from '@/lib/cursor-pagination'
import { useCursorPages, useUrlFilters } from '@/lib/list-state'
import { ExportButton } from '@/features/exports/components/export-button'
import { useTitle } from '@/lib/use-title'
import { ClientFormDialog } from './components/client-form-dialog'
import { NoClientsYet, NoMatchingClients } from './components/clients-empty'
import { ClientsTable, ClientsTableSkeleton } from './components/clients-table'
import { DeleteClientDialog } from './components/delete-client-dialog'
import { SearchInput } from './components/search-input'
import { StatusFilter } from './components/status-filter'
import { useClients } from './data/api'
import { parseClientStatus, type ClientStatus } from './data/schema'

interface DialogState {
  open: boolean
  client?: Client
}

/** /orgs/:orgId/clients — search (?q=), status filter (?status=), pages, and the client dialogs. */
export function ClientsPage() {
  useTitle('Clients')
  const { orgId = '' } = useParams()
  const { params, setFilter, clearFilters } = useUrlFilters()
  const q = params.get('q') ?? ''
  const status = parseClientStatus(params.get('status'))
  const [form, setForm] = useState<DialogState>({ open: false })
  const [deletion, setDeletion] = useState<DialogState>({ open: false })
  const permissions = useOrgPermissions(orgId)
  const canWrite = permissions.can('clients.write')
  const writeGate = usePermissionGate(orgId, 'clients.write', 'add and edit clients')

  const openNew = () => setForm({ open: true })
  const openEdit = (client: Client) => setForm({ open: true, client })
  if (permissions.loaded && !permissions.can('clients.read')) return <NoAccess what="this organization's clients" />

  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <PageHeader
        title="Clients"
        description="The companies and people your agency works for."
        action={
          <div className="flex flex-wrap items-start gap-2">
            <ExportButton orgId={orgId} kind="clients" filters={{ q, status }} />
            <div className="flex flex-col items-end gap-1">
              <Button onClick={openNew} {...gatedProps(writeGate)}>
                <PlusIcon aria-hidden="true" />
                New client
              </Button>
              <RoleHint gate={writeGate} />
            </div>
          </div>
        }
      />

      <ClientsResults
        orgId={orgId}
        q={q}
        status={status}
        onSearch={(value) => setFilter('q', value.trim() || undefined)}
        onStatus={(value) => setFilter('status', value)}
        onClearFilters={clearFilters}
        onCreate={canWrite ? openNew : undefined}
        onEdit={openEdit}
        onDelete={permissions.can('clients.delete') ? (client) => setDeletion({ open: true, client }) : undefined}
      />

      <ClientFormDialog orgId={orgId} open={form.open} client={form.client} onOpenChange={(open) => setForm((s) => ({ ...s, open }))} />
      <DeleteClientDialog
        orgId={orgId}
        open={deletion.open}
        client={deletion.client}
        onOpenChange={(open) => setDeletion((s) => ({ ...s, open }))}
      />
    </div>
  )
}

function ClientsResults({
  orgId,
  q,
  status,
  onSearch,
  onStatus,
  onClearFilters,
  onCreate,
  onEdit,
  onDelete,
}: {
  orgId: string
  q: string
  status: ClientStatus | undefined
  onSearch: (q: string) => void
  onStatus: (status: ClientStatus | undefined) => void
  onClearFilters: () => void
  onCreate?: () => void
  onEdit: (client: Client) => void
  onDelete?: (client: Client) => void
}) {
  // Cursors belong to one filter: a new search starts again at page 1.
  const { pages, goTo } = useCursorPages(`${orgId}\n${q}\n${status ?? ''}`)

  const clients = useClients(orgId, { q, status, cursor: currentCursor(pages) })
  const rows = clients.data?.data ?? []
  const isFiltered = q !== '' || status !== undefined

  // Deleting the last client of a later page leaves it empty: step back.
  const emptyLaterPage = clients.isSuccess && !clients.isPlaceholderData && rows.length === 0 && hasPrevious(pages)
  useEffect(() => {
    if (emptyLaterPage) goTo(previousPage(pages))
  }, [emptyLaterPage, goTo, pages])

  return (
    <section aria-label="Client list" className="flex flex-col gap-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <SearchInput value={q} onChange={onSearch} busy={clients.isFetching && clients.isPlaceholderData} />
        <StatusFilter value={status} onChange={onStatus} />
      </div>

      <div className="overflow-hidden rounded-lg border bg-card">
        {clients.isPending ? (
          <ClientsTableSkeleton />
        ) : clients.isError && !clients.data ? (
          <ListLoadError what="clients" error={clients.error} onRetry={() => void clients.refetch()} />
        ) : rows.length === 0 ? (
          isFiltered ? (
            <NoMatchingClients q={q} status={status} onClear={onClearFilters} />
          ) : (
            <NoClientsYet onCreate={onCreate} />
          )
        ) : (
          <ClientsTable clients={rows} stale={clients.isPlaceholderData} onEdit={onEdit} onDelete={onDelete} />
        )}
      </div>

      <CursorPager pages={pages} nextCursor={clients.data?.next_cursor} stale={clients.isPlaceholderData} onGo={goTo} />
    </section>
  )
}
