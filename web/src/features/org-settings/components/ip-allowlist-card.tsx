import { AlertCircleIcon, Loader2Icon, PlusIcon, Trash2Icon } from 'lucide-react'
import { useState } from 'react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { allowlistErrors, allowlistRow, entriesFromRows, listsAddress, rowsFromEntries, withCurrentAddress, type AllowlistRow } from '../data/allowlist'
import { useSaveAllowlist, type SecuritySettings } from '../data/security'

/** The IP allowlist editor: rows of network and label, the caller's own address one click away. */
export function IPAllowlistCard({ orgId, settings }: { orgId: string; settings: SecuritySettings }) {
  const save = useSaveAllowlist(orgId)
  const [rows, setRows] = useState<AllowlistRow[]>(() => rowsFromEntries(settings.allowlist))
  const [errors, setErrors] = useState<{ rows: Record<number, string>; list?: string }>({ rows: {} })
  const ip = settings.current_ip

  const update = (key: number, change: Partial<AllowlistRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)))

  const onSave = async (event: React.FormEvent) => {
    event.preventDefault()
    const { entries, rowKeys } = entriesFromRows(rows)
    setErrors({ rows: {} })
    try {
      const saved = await save.mutateAsync(entries)
      setRows(rowsFromEntries(saved.allowlist))
      toast.success(entries.length === 0 ? 'IP allowlist removed: every network may connect' : 'IP allowlist saved')
    } catch (error) {
      if (!(error instanceof ApiError) || error.isServerError) return
      const found = allowlistErrors(error.fieldErrors, rowKeys)
      setErrors(found.list || Object.keys(found.rows).length > 0 ? found : { rows: {}, list: error.detail })
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">IP allowlist</CardTitle>
        <CardDescription>
          When the list has entries, this organization only answers requests — from browsers and API keys alike — coming from these
          networks. Leave it empty to allow every network.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={(e) => void onSave(e)} noValidate className="grid gap-4" aria-label="IP allowlist">
          {ip && (
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span>
                Your current IP: <span className="font-mono [overflow-wrap:anywhere]" data-testid="current-ip">{ip}</span>
              </span>
              <Button type="button" variant="outline" size="sm" disabled={listsAddress(rows, ip)} onClick={() => setRows((rs) => withCurrentAddress(rs, ip, 'My current network'))}>
                <PlusIcon aria-hidden="true" />
                Add my current IP
              </Button>
            </div>
          )}
          {errors.list && (
            <Alert variant="destructive" data-testid="allowlist-error">
              <AlertCircleIcon aria-hidden="true" />
              <AlertTitle>The allowlist was not saved</AlertTitle>
              <AlertDescription className="[overflow-wrap:anywhere]">{errors.list}</AlertDescription>
            </Alert>
          )}
          <ul className="grid gap-3" aria-label="Allowed networks">
            {rows.map((row, i) => (
              <li key={row.key} className="grid gap-1">
                <div className="grid grid-cols-[1fr_auto] gap-2 sm:grid-cols-[minmax(0,14rem)_1fr_auto]">
                  <Input
                    aria-label={`Network ${i + 1} (IP address or CIDR)`}
                    placeholder="203.0.113.0/24"
                    className="font-mono"
                    autoComplete="off"
                    spellCheck={false}
                    value={row.cidr}
                    aria-invalid={errors.rows[row.key] ? true : undefined}
                    aria-describedby={errors.rows[row.key] ? `allowlist-row-${row.key}-error` : undefined}
                    onChange={(e) => update(row.key, { cidr: e.target.value })}
                  />
                  <Input
                    aria-label={`Label of network ${i + 1}`}
                    placeholder="Office"
                    className="col-span-2 row-start-2 sm:col-span-1 sm:row-start-1"
                    value={row.label}
                    maxLength={100}
                    onChange={(e) => update(row.key, { label: e.target.value })}
                  />
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon"
                    className="col-start-2 row-start-1 sm:col-start-3"
                    aria-label={`Remove network ${i + 1}`}
                    onClick={() => setRows((rs) => (rs.length === 1 ? [allowlistRow()] : rs.filter((r) => r.key !== row.key)))}
                  >
                    <Trash2Icon aria-hidden="true" />
                  </Button>
                </div>
                {errors.rows[row.key] && (
                  <p id={`allowlist-row-${row.key}-error`} className="text-sm text-destructive">
                    {errors.rows[row.key]}
                  </p>
                )}
              </li>
            ))}
          </ul>
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant="outline" onClick={() => setRows((rs) => [...rs, allowlistRow()])}>
              <PlusIcon aria-hidden="true" />
              Add network
            </Button>
            <Button type="submit" disabled={save.isPending}>
              {save.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Save allowlist
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  )
}
