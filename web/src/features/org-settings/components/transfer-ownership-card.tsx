import { Loader2Icon } from 'lucide-react'
import { useState } from 'react'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { SelectControl, SelectItem } from '@/components/ui/select'
import { useTransferCandidates, useTransferOwnership } from '../data/api'

/** Danger zone: pick an active member and hand them the organization; the owner becomes an admin. */
export function TransferOwnershipCard({ orgId, currentUserId }: { orgId: string; currentUserId: string }) {
  const candidates = useTransferCandidates(orgId, currentUserId)
  const transfer = useTransferOwnership(orgId)
  const [memberId, setMemberId] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<string>()
  const chosen = candidates.data?.find((m) => m.id === memberId)

  const choose = (id: string) => {
    setMemberId(id)
    setError(undefined)
  }

  const confirm = async () => {
    try {
      await transfer.mutateAsync(memberId)
      toast.success(`${chosen?.name ?? 'The member'} now owns this organization`, { description: 'You are an admin now.' })
    } catch (e) {
      if (e instanceof ApiError && !e.isServerError) setError(e.fieldErrors['member_id'] ?? e.detail)
      else if (!(e instanceof ApiError)) setError('Something went wrong. Please try again.')
    }
    setConfirming(false)
  }

  return (
    <Card className="border-destructive/50">
      <CardHeader>
        <CardTitle className="text-base">Transfer ownership</CardTitle>
        <CardDescription>The new owner gets every permission, including billing and deletion. You become an admin.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {candidates.isPending && <p className="text-sm text-muted-foreground">Loading members…</p>}
        {candidates.isError && <p className="text-sm text-destructive">Couldn't load the members.</p>}
        {candidates.data?.length === 0 && (
          <p className="text-sm text-muted-foreground">Invite someone first: ownership can only go to another active member.</p>
        )}
        {candidates.data && candidates.data.length > 0 && (
          <div className="flex flex-wrap items-end gap-3">
            <div className="min-w-64 flex-1">
              <FormField label="New owner" error={error}>
                <SelectControl value={memberId} onValueChange={choose} placeholder="Choose a member">
                  {candidates.data.map((m) => (
                    <SelectItem key={m.id} value={m.id}>
                      {m.name} ({m.email})
                    </SelectItem>
                  ))}
                </SelectControl>
              </FormField>
            </div>
            <Button variant="destructive" disabled={!memberId} onClick={() => setConfirming(true)}>
              Transfer ownership
            </Button>
          </div>
        )}
      </CardContent>
      <AlertDialog open={confirming} onOpenChange={(next) => !transfer.isPending && setConfirming(next)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Make {chosen?.name} the owner?</AlertDialogTitle>
            <AlertDialogDescription>
              You will become an admin and can't undo this yourself: only the new owner can transfer it back.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel asChild>
              <Button variant="outline" disabled={transfer.isPending}>
                Cancel
              </Button>
            </AlertDialogCancel>
            <Button variant="destructive" disabled={transfer.isPending} onClick={() => void confirm()}>
              {transfer.isPending && <Loader2Icon className="animate-spin" aria-hidden="true" />}
              Transfer
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </Card>
  )
}
