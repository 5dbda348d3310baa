import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import { securityQuery, ssoTestStartPath } from './security'
import { ssoTestResultFromMessage, type SSOTestResult } from './sso-test-popup'

/**
 * "Test connection": opens the IdP round trip in a popup and listens for the result the popup's settings page
 * posts back (see SecurityPage). A blocked popup falls back to navigating this page there; a popup closed
 * without a message (the IdP cut the opener link, or the owner gave up) still refetches the settings, since
 * a success is recorded server-side either way.
 */
export function useSSOTest(orgId: string, initial: SSOTestResult | null) {
  const queryClient = useQueryClient()
  const [result, setResult] = useState<SSOTestResult | null>(initial)
  const [running, setRunning] = useState(false)
  const watch = useRef<number | undefined>(undefined)

  const refetch = useCallback(
    () => queryClient.invalidateQueries({ queryKey: securityQuery(orgId).queryKey }),
    [queryClient, orgId],
  )

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const answer = ssoTestResultFromMessage(event, window.location.origin, orgId)
      if (!answer) return
      setResult(answer)
      setRunning(false)
      window.clearInterval(watch.current)
      void refetch()
    }
    window.addEventListener('message', onMessage)
    return () => {
      window.removeEventListener('message', onMessage)
      window.clearInterval(watch.current)
    }
  }, [orgId, refetch])

  const start = () => {
    const path = ssoTestStartPath(orgId)
    const popup = window.open(path, 'clientflow-sso-test', 'popup,width=520,height=700')
    if (!popup) {
      window.location.assign(path)
      return
    }
    setResult(null)
    setRunning(true)
    window.clearInterval(watch.current)
    watch.current = window.setInterval(() => {
      if (!popup.closed) return
      window.clearInterval(watch.current)
      setRunning(false)
      void refetch()
    }, 500)
  }

  return { result, running, start }
}
