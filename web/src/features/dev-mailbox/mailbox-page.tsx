import { InboxIcon, MailCheckIcon, MailIcon, RefreshCwIcon } from 'lucide-react'
import { useMemo, useState } from 'react'
import { Link } from 'react-router'
import { useQuery } from '@tanstack/react-query'
import { ApiError } from '@/api/errors'
import type { MailboxMessage } from '@/api/types'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { configQuery } from '@/features/auth/data/api'
import { formatDateTime } from '@/lib/format'
import { useTitle } from '@/lib/use-title'
import { cn } from '@/lib/utils'
import { useMailbox } from './data/api'
import { verifyLinkPath, withLinksInNewTab } from './data/preview'

/** /dev/mailbox: the emails a development server "sent", readable without a real inbox. */
export function MailboxPage() {
  useTitle('Mailbox')
  const config = useQuery(configQuery)
  const isDevelopment = config.data?.environment === 'development'
  const mailbox = useMailbox(isDevelopment)
  const [selectedId, setSelectedId] = useState<string>()
  const messages = mailbox.data ?? []
  const selected = messages.find((m) => m.id === selectedId) ?? messages[0]
  const unavailable = (config.isSuccess && !isDevelopment) || (mailbox.error instanceof ApiError && mailbox.error.status === 404)

  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-6 p-4 sm:p-6 lg:p-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Mailbox</h1>
          <p className="text-sm text-muted-foreground">Emails sent by this development server land here instead of a real inbox.</p>
        </div>
        {!unavailable && (
          <Button variant="outline" size="sm" onClick={() => void mailbox.refetch()} disabled={mailbox.isFetching}>
            <RefreshCwIcon className={cn(mailbox.isFetching && 'animate-spin')} aria-hidden="true" />
            Refresh
          </Button>
        )}
      </div>

      {unavailable ? (
        <Alert>
          <MailIcon />
          <AlertTitle>The mailbox is only available in development</AlertTitle>
          <AlertDescription>This server sends real emails, so there is nothing to show here.</AlertDescription>
        </Alert>
      ) : config.isPending || mailbox.isPending ? (
        <div className="grid gap-2" aria-busy="true" aria-label="Loading messages">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-16 w-full" />
          ))}
        </div>
      ) : messages.length === 0 ? (
        <div className="flex flex-col items-center gap-3 rounded-lg border bg-card px-6 py-16 text-center">
          <InboxIcon className="size-10 text-muted-foreground" aria-hidden="true" />
          <h2 className="text-lg font-semibold">No emails yet</h2>
          <p className="max-w-sm text-sm text-muted-foreground">
            When the app sends an email (a sign-up confirmation, an invitation, a reminder) it appears here within a few seconds.
          </p>
        </div>
      ) : (
        <div className="grid gap-4 lg:grid-cols-[22rem_1fr]">
          <MessageList messages={messages} selectedId={selected?.id} onSelect={setSelectedId} />
          {selected && <MessageView message={selected} />}
        </div>
      )}
    </div>
  )
}

function MessageList({
  messages,
  selectedId,
  onSelect,
}: {
  messages: MailboxMessage[]
  selectedId: string | undefined
  onSelect: (id: string) => void
}) {
  return (
    <ul aria-label="Messages" className="divide-y overflow-hidden rounded-lg border bg-card lg:max-h-[calc(100dvh-14rem)] lg:overflow-y-auto">
      {messages.map((message) => (
        <li key={message.id}>
          <button
            type="button"
            aria-current={message.id === selectedId ? 'true' : undefined}
            onClick={() => onSelect(message.id)}
            className={cn(
              'grid w-full gap-0.5 px-4 py-3 text-left outline-none hover:bg-muted/60 focus-visible:bg-muted focus-visible:ring-[3px] focus-visible:ring-ring focus-visible:ring-inset',
              message.id === selectedId && 'bg-accent',
            )}
          >
            <span className="truncate text-sm font-medium">{message.subject || '(no subject)'}</span>
            <span className="truncate text-xs text-muted-foreground">To {message.to}</span>
            <time dateTime={message.created_at} className="text-xs text-muted-foreground">
              {formatDateTime(message.created_at)}
            </time>
          </button>
        </li>
      ))}
    </ul>
  )
}

function MessageView({ message }: { message: MailboxMessage }) {
  const verifyPath = useMemo(() => verifyLinkPath(message.text), [message.text])
  const previewHtml = useMemo(() => withLinksInNewTab(message.html), [message.html])
  return (
    <article className="flex min-w-0 flex-col gap-4 rounded-lg border bg-card p-4">
      <header className="grid gap-1">
        <h2 className="text-lg font-semibold break-words">{message.subject || '(no subject)'}</h2>
        <p className="text-sm text-muted-foreground">
          To {message.to} · <time dateTime={message.created_at}>{formatDateTime(message.created_at)}</time>
        </p>
      </header>
      {verifyPath && (
        <div className="flex flex-wrap items-center gap-3 rounded-md border border-primary/20 bg-primary/5 px-3 py-2 text-sm">
          <p className="min-w-0 flex-1 text-muted-foreground">This email holds an email verification link.</p>
          {/* The in-app path, opened in this tab: APP_URL's host may differ from the one this tab is signed in on. */}
          <Button asChild size="sm">
            <Link to={verifyPath}>
              <MailCheckIcon aria-hidden="true" />
              Open verify link
            </Link>
          </Button>
        </div>
      )}
      <Tabs defaultValue={message.html ? 'html' : 'text'} className="flex flex-col gap-3">
        <TabsList>
          <TabsTrigger value="html" disabled={!message.html}>
            HTML
          </TabsTrigger>
          <TabsTrigger value="text">Text</TabsTrigger>
        </TabsList>
        <TabsContent value="html">
          {/*
            No scripts, no forms, no same-origin access to the app's cookies; links may open,
            in a new tab (the injected <base target="_blank">) that escapes the sandbox.
          */}
          <iframe
            title={`Email: ${message.subject}`}
            sandbox="allow-popups allow-popups-to-escape-sandbox"
            srcDoc={previewHtml}
            className="h-[32rem] w-full rounded-md border bg-white"
          />
        </TabsContent>
        <TabsContent value="text">
          <pre className="max-h-[32rem] overflow-auto rounded-md border bg-muted/40 p-4 text-sm whitespace-pre-wrap">{message.text}</pre>
        </TabsContent>
      </Tabs>
    </article>
  )
}
