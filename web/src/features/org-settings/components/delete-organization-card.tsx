import { zodResolver } from '@hookform/resolvers/zod'
import { useQueryClient } from '@tanstack/react-query'
import { Loader2Icon } from 'lucide-react'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useNavigate } from 'react-router'
import { toast } from 'sonner'
import { z } from 'zod'
import type { Me } from '@/api/types'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { meQuery } from '@/features/auth/data/api'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { homePath } from '@/lib/last-org'
import { useDeleteOrganization } from '../data/api'

/** Danger zone: delete the organization after typing its exact name, then leave for another one. */
export function DeleteOrganizationCard({ orgId, orgName }: { orgId: string; orgName: string }) {
  const remove = useDeleteOrganization(orgId)
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const [deleting, setDeleting] = useState(false)
  const schema = z.object({ confirm_name: z.string().refine((v) => v === orgName, 'Type the name exactly as shown') })
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { confirm_name: '' } })
  const { errors, isSubmitting } = form.formState

  const onSubmit = form.handleSubmit(async ({ confirm_name }) => {
    setDeleting(true)
    try {
      await remove.mutateAsync(confirm_name)
    } catch (error) {
      setDeleting(false)
      showApiErrorOnForm(error, form.setError, ['confirm_name'])
      return
    }
    // The organization has left /me already; its cached data must not linger for a later visit.
    const me: Me = await queryClient.fetchQuery({ ...meQuery, staleTime: 0 })
    queryClient.removeQueries({ queryKey: ['orgs', orgId] })
    toast.success(`${orgName} is being deleted`, { description: 'Its data is removed in the background.' })
    await navigate(homePath(me.memberships), { replace: true })
  })

  return (
    <Card className="border-destructive/50">
      <CardHeader>
        <CardTitle className="text-base">Delete this organization</CardTitle>
        <CardDescription>
          Deletes {orgName} with all its clients, projects, files and members' access. This can't be undone.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} noValidate className="grid gap-4" aria-label="Delete organization">
          <FormAlert message={errors.root?.server?.message} />
          <FormField label={`Type ${orgName} to confirm`} error={errors.confirm_name?.message}>
            <Input autoComplete="off" spellCheck={false} disabled={deleting} {...form.register('confirm_name')} />
          </FormField>
          {deleting && (
            <p role="status" className="flex items-center gap-2 text-sm text-muted-foreground">
              <Loader2Icon className="size-4 animate-spin" aria-hidden="true" />
              Deleting… this may take a minute
            </p>
          )}
          <div className="flex justify-end">
            <Button type="submit" variant="destructive" disabled={isSubmitting || deleting}>
              Delete organization
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  )
}
