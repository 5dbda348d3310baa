import { onlineManager } from '@tanstack/react-query'
import { WifiOffIcon } from 'lucide-react'
import { useSyncExternalStore } from 'react'

/** Whether the browser is online, as TanStack Query sees it (it pauses queries and mutations while not). */
export function useOnline(): boolean {
  return useSyncExternalStore(
    (onChange) => onlineManager.subscribe(onChange),
    () => onlineManager.isOnline(),
    () => true,
  )
}

/**
 * A polite live region, always in the page so screen readers announce the change: empty while online,
 * and while offline a banner saying that loading waits and changes go out on reconnect (queries and
 * mutations are paused by TanStack Query's online network mode, not failed).
 */
export function OfflineBanner() {
  const online = useOnline()
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex justify-center p-3">
      {!online && (
        <p
          data-testid="offline-banner"
          className="pointer-events-auto flex items-center gap-2 rounded-md border bg-foreground px-4 py-2 text-sm text-background shadow-lg"
        >
          <WifiOffIcon className="size-4 shrink-0" aria-hidden="true" />
          You're offline. Pages load and changes are sent when you're back.
        </p>
      )}
    </div>
  )
}
