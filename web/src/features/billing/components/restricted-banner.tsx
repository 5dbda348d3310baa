import { LockIcon } from 'lucide-react'
import { Link } from 'react-router'
import { useBilling } from '../data/api'

/** Across the top of every page of an organization that is read-only until it pays. */
export function RestrictedBanner({ orgId }: { orgId: string | undefined }) {
  const billing = useBilling(orgId ?? '')
  if (!orgId || !billing.data || billing.data.writable) return null
  const reason = billing.data.has_payment_account ? 'its payment is overdue' : 'its trial has ended'
  return (
    <div role="status" className="flex flex-wrap items-center gap-2 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 sm:px-6">
      <LockIcon className="size-4" aria-hidden="true" />
      <span>This organization is read-only because {reason}. Everything is kept.</span>
      <Link to={`/orgs/${orgId}/billing`} className="font-medium underline underline-offset-4">
        Choose a plan
      </Link>
    </div>
  )
}
