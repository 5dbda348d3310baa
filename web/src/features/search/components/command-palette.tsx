import { Command } from 'cmdk'
import { ClockIcon, FileIcon, FolderKanbanIcon, HistoryIcon, ListTodoIcon, Loader2Icon, MessageSquareIcon, PlayIcon, PlusIcon, SearchIcon, UsersIcon, type LucideIcon } from 'lucide-react'
import { useEffect, useMemo, useState } from 'react'
import { useMatch, useNavigate } from 'react-router'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogTitle } from '@/components/ui/dialog'
import { useNavItems } from '@/components/layout/nav'
import { useOrgPermissions } from '@/features/auth/data/permissions'
import { StartTimerDialog } from '@/features/time/components/timer-control'
import { useTimer } from '@/features/time/data/api'
import { useDebouncedValue } from '@/lib/use-debounced-value'
import { searchableQuery, useSearch, type SearchHit, type TextSegment } from '../data/api'
import { countLabel, hitHref, searchGroupLabels, segmentsText } from '../data/links'
import { loadRecent, rememberRecent, type RecentItem } from '../data/recent'
import { isPaletteShortcut, matchesCommand } from '../data/commands'
import { NewTaskDialog } from './new-task-dialog'

const typeIcons: Record<SearchHit['type'], LucideIcon> = {
  clients: UsersIcon,
  projects: FolderKanbanIcon,
  tasks: ListTodoIcon,
  comments: MessageSquareIcon,
  files: FileIcon,
}

/** A command the palette offers besides search results: an action or a place to go. */
interface PaletteCommand {
  id: string
  label: string
  icon: LucideIcon
  run: () => void
}

/**
 * The command palette of an organization: Ctrl/Cmd-K anywhere (or the header's search button) opens it.
 * Typing searches clients, projects, tasks, comments and files (debounced; a newer query cancels the request
 * of the older one); with nothing typed it lists the recently opened records, the actions and the places to
 * go. Everything works from the keyboard: arrows move, Enter opens, Escape closes.
 */
export function CommandPalette({ orgId }: { orgId: string }) {
  const [open, setOpen] = useState(false)
  const [timerOpen, setTimerOpen] = useState(false)
  const [newTask, setNewTask] = useState<{ projectId: string; projectName?: string } | null>(null)

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (!isPaletteShortcut(e)) return
      e.preventDefault()
      setOpen((o) => !o)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  return (
    <>
      <Button
        variant="outline"
        size="sm"
        className="gap-2 text-muted-foreground"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Control+K Meta+K"
      >
        <SearchIcon aria-hidden="true" />
        <span className="sr-only sm:not-sr-only">Search</span>
        {/* The shortcut is drawn by CSS so it stays out of the button's name (aria-keyshortcuts says it). */}
        <kbd
          data-keys="Ctrl K"
          className="hidden rounded border bg-muted px-1.5 font-mono text-[10px] after:content-[attr(data-keys)] lg:inline"
          aria-hidden="true"
        />
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="top-4 translate-y-0 gap-0 overflow-hidden p-0 sm:top-[15%] sm:max-w-xl" aria-describedby="command-palette-help">
          <DialogTitle className="sr-only">Search and commands</DialogTitle>
          <DialogDescription id="command-palette-help" className="sr-only">
            Type to search clients, projects, tasks, comments and files. Use the arrow keys to move and Enter to open.
          </DialogDescription>
          {open && (
            <PaletteBody
              orgId={orgId}
              onClose={() => setOpen(false)}
              onStartTimer={() => {
                setOpen(false)
                setTimerOpen(true)
              }}
              onNewTask={(projectId, projectName) => {
                setOpen(false)
                setNewTask({ projectId, projectName })
              }}
            />
          )}
        </DialogContent>
      </Dialog>
      <StartTimerDialog orgId={orgId} open={timerOpen} onOpenChange={setTimerOpen} />
      {newTask && (
        <NewTaskDialog
          orgId={orgId}
          projectId={newTask.projectId}
          projectName={newTask.projectName}
          open
          onOpenChange={(o) => !o && setNewTask(null)}
        />
      )}
    </>
  )
}

function PaletteBody({ orgId, onClose, onStartTimer, onNewTask }: {
  orgId: string
  onClose: () => void
  onStartTimer: () => void
  onNewTask: (projectId: string, projectName?: string) => void
}) {
  const navigate = useNavigate()
  const permissions = useOrgPermissions(orgId)
  const navItems = useNavItems(orgId)
  const inProject = useMatch('/orgs/:orgId/projects/:projectId/*')?.params.projectId
  const timer = useTimer(orgId)
  const [input, setInput] = useState('')
  const [recent, setRecent] = useState<RecentItem[]>(() => loadRecent(orgId))
  const q = searchableQuery(useDebouncedValue(input, 200))
  const search = useSearch(orgId, q)
  const typing = input.trim() !== ''
  const tooLong = typing && searchableQuery(input) === null

  const go = (href: string) => {
    onClose()
    navigate(href)
  }
  const openHit = (hit: SearchHit) => {
    const href = hitHref(orgId, hit)
    setRecent(rememberRecent(orgId, { type: hit.type, id: hit.id, title: segmentsText(hit.title), subtitle: hitSubtitle(hit), href }))
    go(href)
  }

  const commands = useMemo(() => {
    const out: PaletteCommand[] = []
    if (permissions.can('tasks.write') && inProject) {
      out.push({ id: 'new-task-here', label: 'New task in this project', icon: PlusIcon, run: () => onNewTask(inProject) })
    }
    if (permissions.can('time.write') && timer.isSuccess && !timer.data) out.push({ id: 'start-timer', label: 'Start timer', icon: PlayIcon, run: onStartTimer })
    for (const item of navItems) {
      out.push({ id: `go:${item.to}`, label: `Go to ${item.label.toLowerCase()}`, icon: item.icon, run: () => go(item.to) })
    }
    return out
    // go and the callbacks close over stable setters and navigate only.
  }, [permissions.can, inProject, navItems, timer.isSuccess, timer.data])

  const shownCommands = typing ? commands.filter((c) => matchesCommand(c.label, input)) : commands
  const results = typing ? search.data : undefined
  const projectHits = results?.groups.find((g) => g.type === 'projects')?.items ?? []
  const hasHits = results?.groups.some((g) => g.items.length > 0) ?? false

  return (
    <Command label="Search and commands" shouldFilter={false} loop className="flex max-h-[min(32rem,calc(100dvh-2rem))] flex-col">
      <div className="flex items-center gap-2 border-b px-3 focus-within:ring-2 focus-within:ring-ring focus-within:ring-inset">
        <SearchIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
        <Command.Input
          value={input}
          onValueChange={setInput}
          maxLength={searchQueryInputMax}
          placeholder="Search or type a command…"
          className="h-12 w-full min-w-0 bg-transparent text-base outline-none placeholder:text-muted-foreground sm:text-sm"
        />
        {search.isFetching && <Loader2Icon className="size-4 shrink-0 animate-spin text-muted-foreground" aria-label="Searching" />}
      </div>
      <Command.List className="min-h-0 flex-1 overflow-x-hidden overflow-y-auto p-2">
        {tooLong && <p className="px-2 py-6 text-center text-sm text-muted-foreground">Search for at most 200 characters.</p>}
        {search.isError && typing && (
          <p role="alert" className="px-2 py-6 text-center text-sm text-destructive">
            The search failed: {search.error.message}
          </p>
        )}
        {typing && q !== null && results && !hasHits && shownCommands.length === 0 && !search.isFetching && (
          <p className="px-2 py-6 text-center text-sm text-muted-foreground">Nothing found for “{q}”.</p>
        )}
        {!typing && recent.length > 0 && (
          <Command.Group heading="Recent" className={groupClass}>
            {recent.map((r) => (
              <Command.Item key={`recent:${r.type}:${r.id}`} value={`recent:${r.type}:${r.id}`} onSelect={() => go(r.href)} className={itemClass}>
                <HistoryIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
                <span className="min-w-0 flex-1">
                  <span className="block truncate">{r.title}</span>
                  {r.subtitle && <span className="block truncate text-xs text-muted-foreground">{r.subtitle}</span>}
                </span>
              </Command.Item>
            ))}
          </Command.Group>
        )}
        {results?.groups.map(
          (g) =>
            g.items.length > 0 && (
              <Command.Group
                key={g.type}
                heading={`${searchGroupLabels[g.type]} (${countLabel(g.count, g.count_capped)})`}
                className={groupClass}
              >
                {g.items.map((hit) => {
                  const Icon = typeIcons[hit.type]
                  const subtitle = hitSubtitle(hit)
                  return (
                    <Command.Item key={`${hit.type}:${hit.id}`} value={`${hit.type}:${hit.id}`} onSelect={() => openHit(hit)} className={itemClass}>
                      <Icon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
                      <span className="min-w-0 flex-1">
                        <span className="block truncate">
                          <Highlighted segments={hit.title} />
                        </span>
                        {subtitle && <span className="block truncate text-xs text-muted-foreground">{subtitle}</span>}
                        {hit.snippet.length > 0 && (
                          <span className="line-clamp-2 text-xs break-words text-muted-foreground">
                            <Highlighted segments={hit.snippet} />
                          </span>
                        )}
                      </span>
                    </Command.Item>
                  )
                })}
              </Command.Group>
            ),
        )}
        {permissions.can('tasks.write') && projectHits.length > 0 && (
          <Command.Group heading="Create" className={groupClass}>
            {projectHits.map((p) => (
              <Command.Item
                key={`new-task:${p.id}`}
                value={`new-task:${p.id}`}
                onSelect={() => onNewTask(p.id, segmentsText(p.title))}
                className={itemClass}
              >
                <PlusIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
                <span className="min-w-0 flex-1 truncate">New task in {segmentsText(p.title)}</span>
              </Command.Item>
            ))}
          </Command.Group>
        )}
        {shownCommands.length > 0 && (
          <Command.Group heading="Actions and navigation" className={groupClass}>
            {shownCommands.map((c) => (
              <Command.Item key={c.id} value={c.id} onSelect={c.run} className={itemClass}>
                <c.icon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
                <span className="min-w-0 flex-1 truncate">{c.label}</span>
              </Command.Item>
            ))}
          </Command.Group>
        )}
      </Command.List>
      <div className="hidden items-center gap-3 border-t px-3 py-2 text-xs text-muted-foreground sm:flex">
        <span>
          <kbd className="font-mono">↑↓</kbd> move
        </span>
        <span>
          <kbd className="font-mono">Enter</kbd> open
        </span>
        <span>
          <kbd className="font-mono">Esc</kbd> close
        </span>
        <ClockIcon className="ml-auto size-3" aria-hidden="true" />
        <span>Recent items stay in this browser</span>
      </div>
    </Command>
  )
}

/** The input accepts a little more than the API so the "at most 200" hint can show. */
const searchQueryInputMax = 250

const groupClass =
  'mb-2 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-muted-foreground'

const itemClass =
  'flex cursor-pointer items-start gap-3 rounded-md px-2 py-2 text-sm outline-none select-none data-[selected=true]:bg-accent data-[selected=true]:text-accent-foreground data-[selected=true]:ring-2 data-[selected=true]:ring-ring [&>svg]:mt-0.5'

/** A hit's second line: where it lives. */
function hitSubtitle(hit: SearchHit): string | undefined {
  if (hit.type === 'projects' || hit.type === 'clients') return undefined
  const task = hit.task_number != null && hit.type !== 'tasks' ? ` · #${hit.task_number}` : ''
  const number = hit.type === 'tasks' && hit.task_number != null ? `#${hit.task_number} · ` : ''
  return hit.project_name ? `${number}${hit.project_name}${task}` : undefined
}

/** Segments as text, the matching ones marked; never HTML. */
function Highlighted({ segments }: { segments: TextSegment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.match ? (
          <mark key={i} className="rounded-sm bg-yellow-200/70 text-inherit dark:bg-yellow-500/30">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  )
}
