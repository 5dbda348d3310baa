import { AlertCircleIcon, Loader2Icon } from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { formatDateTime } from '@/lib/format'
import { useRevokeOtherSessions, useRevokeSession, useSessions } from '../data/api'

/** Where the user is signed in, with sign-out for one session or all the others. */
export function SessionsCard() {
  const sessions = useSessions()
  const revoke = useRevokeSession()
  const revokeOthers = useRevokeOtherSessions()
  const others = sessions.data?.data.filter((s) => !s.current).length ?? 0

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-lg">Sessions</CardTitle>
        <CardDescription>Browsers signed in to your account. Sign out any you don't recognise, then change your password.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {sessions.isPending && <Skeleton className="h-24 w-full" aria-label="Loading sessions" />}
        {sessions.isError && (
          <Alert variant="destructive">
            <AlertCircleIcon aria-hidden="true" />
            <AlertTitle>Couldn't load your sessions</AlertTitle>
            <AlertDescription>
              <Button variant="outline" size="sm" onClick={() => void sessions.refetch()}>
                Try again
              </Button>
            </AlertDescription>
          </Alert>
        )}
        {sessions.data && (
          <Table aria-label="Sessions">
            <TableHeader>
              <TableRow>
                <TableHead>Device</TableHead>
                <TableHead>IP address</TableHead>
                <TableHead>Signed in</TableHead>
                <TableHead>Last active</TableHead>
                <TableHead className="sr-only">Actions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sessions.data.data.map((s) => (
                <TableRow key={s.id}>
                  <TableCell className="font-medium">
                    {s.device} {s.current && <Badge variant="secondary">This browser</Badge>}
                  </TableCell>
                  <TableCell>{s.ip || '—'}</TableCell>
                  <TableCell>{formatDateTime(s.created_at)}</TableCell>
                  <TableCell>{formatDateTime(s.last_seen_at)}</TableCell>
                  <TableCell className="text-right">
                    {!s.current && (
                      <Button
                        variant="outline"
                        size="sm"
                        aria-label={`Sign out ${s.device} (${s.ip || 'unknown IP'})`}
                        disabled={revoke.isPending && revoke.variables === s.id}
                        onClick={() => revoke.mutate(s.id)}
                      >
                        Sign out
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {sessions.data && (
          <div>
            <Button variant="outline" disabled={others === 0 || revokeOthers.isPending} onClick={() => revokeOthers.mutate()}>
              {revokeOthers.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Sign out all other sessions
            </Button>
          </div>
        )}
      </CardContent>
    </Card>
  )
}
