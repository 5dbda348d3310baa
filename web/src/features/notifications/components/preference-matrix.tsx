import { LockIcon } from 'lucide-react'
import { useId, useState } from 'react'
import { toast } from 'sonner'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import {
  cellKey,
  changesFrom,
  channels,
  preferenceMatrix,
  setColumn,
  useUpdateNotificationPreferences,
  type NotificationPreference,
} from '../data/preferences'

const groupNames: Record<NotificationPreference['group'], string> = {
  tasks: 'Tasks',
  comments: 'Comments',
  team: 'Team',
  billing: 'Billing',
  security: 'Security',
  client_portal: 'Client portal',
}

/**
 * The type × channel matrix. Choices are a draft until Save sends the changed cells in one bulk update;
 * a column's All on / All off changes every cell of it that can be changed.
 */
export function PreferenceMatrix({ orgId, prefs }: { orgId: string; prefs: NotificationPreference[] }) {
  const [draft, setDraft] = useState<Map<string, boolean>>(() => new Map())
  const save = useUpdateNotificationPreferences(orgId)
  const lockedNote = useId()
  const groups = preferenceMatrix(prefs)
  const changes = changesFrom(prefs, draft)
  const anyLocked = prefs.some((p) => p.locked)

  const choose = (p: NotificationPreference, enabled: boolean) => setDraft((d) => new Map(d).set(cellKey(p.type, p.channel), enabled))
  const onSave = () =>
    save.mutate(changes, {
      onSuccess: () => {
        setDraft(new Map())
        toast.success('Notification preferences saved')
      },
    })

  return (
    <div className="grid gap-4">
      <table className="w-full table-fixed text-sm">
        <caption className="sr-only">Notification preferences by type and channel</caption>
        <thead>
          <tr className="border-b align-bottom">
            <th scope="col" className="py-2 pr-2 text-left font-medium">
              Notify me when…
            </th>
            {channels.map(({ channel, label }) => (
              <th key={channel} scope="col" className="w-16 px-0.5 py-2 text-center font-medium sm:w-24">
                <span className="block pb-1">{label}</span>
                <span className="flex flex-col items-center gap-0.5 sm:flex-row sm:justify-center">
                  <Button
                    variant="ghost"
                    size="sm"
                    className="h-6 px-1 text-xs font-normal"
                    aria-label={`All on: ${label}`}
                    onClick={() => setDraft((d) => setColumn(prefs, d, channel, true))}
                  >
                    All on
                  </Button>
                  <Button
                    variant="ghost"
                    size="sm"
                    className="h-6 px-1 text-xs font-normal"
                    aria-label={`All off: ${label}`}
                    onClick={() => setDraft((d) => setColumn(prefs, d, channel, false))}
                  >
                    All off
                  </Button>
                </span>
              </th>
            ))}
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g.group} className="border-b last:border-0">
            <tr>
              <th scope="rowgroup" colSpan={1 + channels.length} className="pt-4 pb-1 text-left text-xs font-semibold tracking-wide text-muted-foreground uppercase">
                {groupNames[g.group]}
              </th>
            </tr>
            {g.rows.map((row) => (
              <tr key={row.type}>
                <th scope="row" className="py-2 pr-2 text-left font-normal break-words">
                  {row.label}
                </th>
                {channels.map(({ channel, label }) => {
                  const p = row.cells[channel]
                  if (!p) {
                    return (
                      <td key={channel} className="text-center text-muted-foreground">
                        <span aria-label="Not available">—</span>
                      </td>
                    )
                  }
                  const checked = draft.get(cellKey(p.type, channel)) ?? p.enabled
                  return (
                    <td key={channel} className="py-2 text-center">
                      <span className="inline-flex items-center gap-1">
                        <input
                          type="checkbox"
                          className="size-4 accent-primary"
                          aria-label={`${row.label}: ${label}`}
                          aria-describedby={p.locked ? lockedNote : undefined}
                          checked={checked}
                          disabled={p.locked || save.isPending}
                          onChange={(e) => choose(p, e.target.checked)}
                        />
                        {p.locked && <LockIcon aria-hidden="true" className="size-3 text-muted-foreground" />}
                      </span>
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      {anyLocked && (
        <p id={lockedNote} className="flex items-start gap-1.5 text-xs text-muted-foreground">
          <LockIcon aria-hidden="true" className="mt-0.5 size-3 shrink-0" />
          Security notices always reach you by email, so you hear about sign-ins and signed-out sessions even when you are away.
          That can't be switched off.
        </p>
      )}
      <FormAlert message={save.error?.message} />
      <div className="flex flex-wrap items-center gap-2">
        <Button disabled={changes.length === 0 || save.isPending} onClick={onSave}>
          {save.isPending ? 'Saving…' : 'Save preferences'}
        </Button>
        <Button variant="ghost" disabled={draft.size === 0 || save.isPending} onClick={() => setDraft(new Map())}>
          Discard changes
        </Button>
        <p aria-live="polite" className="text-sm text-muted-foreground">
          {changes.length > 0 ? `${changes.length} unsaved ${changes.length === 1 ? 'change' : 'changes'}` : ''}
        </p>
      </div>
    </div>
  )
}
