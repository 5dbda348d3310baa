import { TriangleAlertIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import { CopyField } from '@/components/copy-field'

/**
 * A credential the server shows this once (an API key, a webhook signing secret): a warning that says so,
 * then the value, selectable and with a copy button. `children` is the warning's text.
 */
export function ShownOnceSecret({ label, value, testId, children }: { label: string; value: string; testId: string; children: ReactNode }) {
  return (
    <div className="grid gap-3">
      <div role="alert" className="flex gap-2 rounded-md border border-amber-500/40 bg-amber-500/10 p-3 text-sm">
        <TriangleAlertIcon className="size-4 shrink-0 text-amber-600" aria-hidden="true" />
        <p>{children}</p>
      </div>
      <CopyField label={label} value={value} testId={testId} />
    </div>
  )
}
