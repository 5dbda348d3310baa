import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { useMe } from '@/features/auth/data/api'
import { useRequestUpgrade } from '../data/api'
import { formatUsage, metricLabels } from '../data/format'
import { dismissUpgradePrompt, useUpgradePrompt } from '../data/upgrade-prompt'

/**
 * Shown wherever the API refused a create with 402 plan_limit_reached (the query client opens it): members
 * who manage billing go to the billing page, everyone else can ask the owners.
 */
export function UpgradePromptDialog() {
  const hit = useUpgradePrompt()
  const { orgId = '' } = useParams()
  const { data: me } = useMe()
  const canManage = me?.memberships.some((m) => m.organization.id === orgId && m.permissions.includes('billing.manage')) ?? false
  const request = useRequestUpgrade(orgId)
  const [asked, setAsked] = useState(false)
  const close = () => {
    dismissUpgradePrompt()
    setAsked(false)
    request.reset()
  }
  const label = hit ? (metricLabels[hit.metric] ?? hit.metric).toLowerCase() : ''

  return (
    <Dialog open={hit !== null} onOpenChange={(open) => !open && close()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Upgrade to add more</DialogTitle>
          <DialogDescription>{hit?.detail}</DialogDescription>
        </DialogHeader>
        {hit && hit.limit !== null && (
          <p className="text-sm">
            Your <strong className="capitalize">{hit.plan}</strong> plan allows {formatUsage(hit.metric, hit.limit)} {label}; you
            use {formatUsage(hit.metric, hit.usage ?? hit.limit)}.
          </p>
        )}
        {asked && <p className="text-sm text-muted-foreground">We emailed the owners of this organization.</p>}
        <DialogFooter>
          <Button variant="outline" onClick={close}>
            Not now
          </Button>
          {canManage ? (
            <Button asChild onClick={close}>
              <Link to={`/orgs/${orgId}/billing`}>See plans</Link>
            </Button>
          ) : (
            <Button
              disabled={asked || request.isPending || orgId === ''}
              onClick={() => request.mutate(`Limit reached: ${label}`, { onSuccess: () => setAsked(true) })}
            >
              Ask the owner to upgrade
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
