import { AlertCircleIcon } from 'lucide-react'
import { Component, type ReactNode } from 'react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'

/**
 * Keeps a failed lazy part of the page (its chunk did not load, e.g. after a deploy or offline) from taking
 * the whole page down: the rest stays readable and the reader can retry.
 */
export class ReferenceBoundary extends Component<{ what: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false }

  static getDerivedStateFromError() {
    return { failed: true }
  }

  render() {
    if (!this.state.failed) return this.props.children
    return (
      <Alert variant="destructive" className="mx-auto max-w-5xl">
        <AlertCircleIcon aria-hidden="true" />
        <AlertTitle>We couldn't load {this.props.what}</AlertTitle>
        <AlertDescription className="grid justify-items-start gap-2">
          <p>Check your connection and reload the page.</p>
          <Button variant="outline" size="sm" onClick={() => window.location.reload()}>
            Reload
          </Button>
        </AlertDescription>
      </Alert>
    )
  }
}
