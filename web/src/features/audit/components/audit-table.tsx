import { ChevronDownIcon, ChevronRightIcon } from 'lucide-react'
import { Fragment, useState } from 'react'
import { Button } from '@/components/ui/button'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { formatDateTime } from '@/lib/format'
import type { AuditEntry } from '../data/api'
import { describeMetadata, humanize } from '../data/filters'

/** The audit rows as a table that scrolls sideways inside its own frame; each row expands to its details. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const [open, setOpen] = useState<Set<string>>(new Set())
  const toggle = (id: string) =>
    setOpen((previous) => {
      const next = new Set(previous)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  return (
    <Table aria-label="Audit log">
      <TableHeader>
        <TableRow>
          <TableHead className="w-10">
            <span className="sr-only">Details</span>
          </TableHead>
          <TableHead>Time</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Entity</TableHead>
          <TableHead>IP</TableHead>
          <TableHead>User agent</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {entries.map((e) => {
          const expanded = open.has(e.id)
          const detailsId = `audit-details-${e.id}`
          return (
            <Fragment key={e.id}>
              <TableRow data-audit-action={e.action}>
                <TableCell className="py-1">
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon"
                    aria-expanded={expanded}
                    aria-controls={detailsId}
                    aria-label={`${expanded ? 'Hide' : 'Show'} details of ${e.action}`}
                    onClick={() => toggle(e.id)}
                  >
                    {expanded ? <ChevronDownIcon aria-hidden="true" /> : <ChevronRightIcon aria-hidden="true" />}
                  </Button>
                </TableCell>
                <TableCell>
                  <time dateTime={e.created_at}>{formatDateTime(e.created_at)}</time>
                </TableCell>
                <TableCell>
                  {e.actor ? e.actor.name || 'Unnamed user' : <span className="text-muted-foreground">{e.action === 'auth.sign_in_failed' ? 'Unknown (not signed in)' : 'System'}</span>}
                  {e.api_key_id && <span className="block text-xs text-muted-foreground">via API key</span>}
                </TableCell>
                <TableCell>
                  <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{e.action}</code>
                </TableCell>
                <TableCell>
                  <span className="block">{humanize(e.entity_type)}</span>
                  <span className="block max-w-40 truncate font-mono text-xs text-muted-foreground" title={e.entity_id}>
                    {e.entity_id}
                  </span>
                </TableCell>
                <TableCell className="font-mono text-xs">{e.ip || '—'}</TableCell>
                <TableCell>
                  <span className="block max-w-48 truncate text-xs" title={e.user_agent}>
                    {e.user_agent || '—'}
                  </span>
                </TableCell>
              </TableRow>
              {expanded && (
                <TableRow id={detailsId} className="bg-muted/30 hover:bg-muted/30">
                  <TableCell colSpan={7} className="whitespace-normal">
                    <AuditDetails entry={e} />
                  </TableCell>
                </TableRow>
              )}
            </Fragment>
          )
        })}
      </TableBody>
    </Table>
  )
}

/** A row's changes (before → after per field), other facts and request ID, readable rather than JSON. */
function AuditDetails({ entry }: { entry: AuditEntry }) {
  const { changes, facts } = describeMetadata(entry.metadata)
  return (
    <div className="grid max-w-[calc(100vw-4rem)] gap-3 text-sm sm:max-w-3xl">
      {changes.length > 0 && (
        <table className="w-auto justify-self-start caption-top text-left text-xs">
          <caption className="pb-1 text-left text-xs font-medium text-muted-foreground">Changes</caption>
          <thead>
            <tr>
              <th scope="col" className="pr-6 font-medium">Field</th>
              <th scope="col" className="pr-6 font-medium">Before</th>
              <th scope="col" className="font-medium">After</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.field} className="align-top">
                <th scope="row" className="pr-6 font-mono font-normal">{c.field}</th>
                <td className="pr-6 break-all text-muted-foreground line-through decoration-muted-foreground/50">{c.before}</td>
                <td className="break-all">{c.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
        {facts.map(([key, value]) => (
          <Fragment key={key}>
            <dt className="font-mono text-muted-foreground">{key}</dt>
            <dd className="break-all">{value}</dd>
          </Fragment>
        ))}
        <dt className="font-mono text-muted-foreground">user_agent</dt>
        <dd className="break-all">{entry.user_agent || '—'}</dd>
        <dt className="font-mono text-muted-foreground">request_id</dt>
        <dd className="break-all">{entry.request_id || '—'}</dd>
      </dl>
    </div>
  )
}
