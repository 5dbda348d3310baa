import { LockIcon } from 'lucide-react'

/** Shown instead of a page the member's role does not allow; the API would answer 403 anyway. */
export function NoAccess({ what }: { what: string }) {
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-3 px-6 py-24 text-center">
      <div className="grid size-12 place-items-center rounded-full bg-muted text-muted-foreground">
        <LockIcon className="size-6" aria-hidden="true" />
      </div>
      <h1 className="text-xl font-semibold">You don't have access</h1>
      <p className="text-sm text-muted-foreground">
        Your role in this organization doesn't allow you to see {what}. Ask an admin if you need it.
      </p>
    </div>
  )
}
