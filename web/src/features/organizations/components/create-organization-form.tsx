import { zodResolver } from '@hookform/resolvers/zod'
import { Loader2Icon } from 'lucide-react'
import type { ReactNode } from 'react'
import { useForm } from 'react-hook-form'
import { useNavigate } from 'react-router'
import { toast } from 'sonner'
import type { Organization } from '@/api/types'
import { FormAlert } from '@/components/form-alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { showApiErrorOnForm } from '@/lib/form-errors'
import { rememberOrg } from '@/lib/last-org'
import { useCreateOrganization } from '../data/api'
import { organizationSchema } from '../data/schema'

/** Names a new organization, creates it and opens its clients page. */
export function CreateOrganizationForm({
  secondaryAction,
  onCreated,
}: {
  secondaryAction?: ReactNode
  onCreated?: (organization: Organization) => void
}) {
  const navigate = useNavigate()
  const create = useCreateOrganization()
  const form = useForm({ resolver: zodResolver(organizationSchema), defaultValues: { name: '' } })
  const { errors, isSubmitting } = form.formState

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const organization = await create.mutateAsync(values)
      rememberOrg(organization.id)
      toast.success(`${organization.name} is ready`)
      onCreated?.(organization)
      await navigate(`/orgs/${organization.id}/clients`)
    } catch (error) {
      showApiErrorOnForm(error, form.setError, ['name'])
    }
  })

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <FormAlert message={errors.root?.server?.message} />
      <FormField label="Organization name" error={errors.name?.message} hint="Usually your agency's name. You can change it later.">
        <Input autoComplete="organization" autoFocus placeholder="Acme Studio" {...form.register('name')} />
      </FormField>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {secondaryAction}
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting && <Loader2Icon className="animate-spin" aria-hidden="true" />}
          Create organization
        </Button>
      </div>
    </form>
  )
}
