import { useQueryClient } from '@tanstack/react-query'
import { LogInIcon, ShieldAlertIcon } from 'lucide-react'
import { useLocation } from 'react-router'
import { Button } from '@/components/ui/button'
import { ssoStartPath } from '@/features/auth/data/external-sign-in'
import { clearOrgAccessBlock, type OrgAccessBlock } from '@/lib/org-access-block'

/**
 * Shown instead of an organization's pages when it refuses this session: SSO required (with the way through
 * its IdP, back to this page) or a network outside its IP allowlist (with the server's explanation).
 */
export function OrgAccessBlocked({ block }: { block: OrgAccessBlock }) {
  const location = useLocation()
  const queryClient = useQueryClient()
  const here = location.pathname + location.search

  const retry = () => {
    clearOrgAccessBlock()
    void queryClient.invalidateQueries({ queryKey: ['orgs', block.orgId] })
  }

  if (block.code === 'sso_required') {
    return (
      <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-4 px-6 py-24 text-center">
        <div className="grid size-12 place-items-center rounded-full bg-muted text-muted-foreground">
          <LogInIcon className="size-6" aria-hidden="true" />
        </div>
        <h1 className="text-xl font-semibold">Sign in with your organization's SSO</h1>
        <p className="text-sm text-muted-foreground">
          This organization requires its members to sign in through its identity provider, and this session was opened another way (a
          password or another provider). Continue with SSO to sign in there; you'll come back to this page.
        </p>
        <Button asChild>
          <a href={ssoStartPath(block.orgId, here)}>Continue with SSO</a>
        </Button>
      </div>
    )
  }
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-4 px-6 py-24 text-center">
      <div className="grid size-12 place-items-center rounded-full bg-destructive/10 text-destructive">
        <ShieldAlertIcon className="size-6" aria-hidden="true" />
      </div>
      <h1 className="text-xl font-semibold">Not available from this network</h1>
      <p className="text-sm text-muted-foreground [overflow-wrap:anywhere]">{block.detail}</p>
      {block.requestId && <p className="font-mono text-xs text-muted-foreground">Request ID: {block.requestId}</p>}
      <Button variant="outline" onClick={retry}>
        Try again
      </Button>
    </div>
  )
}
