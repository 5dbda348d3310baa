import { SearchXIcon } from 'lucide-react'
import { Link } from 'react-router'
import { Logo } from '@/components/layout/logo'
import { Button } from '@/components/ui/button'
import { useTitle } from '@/lib/use-title'
import { cn } from '@/lib/utils'

/** "Page not found", standalone or (`embedded`) inside the workspace shell. */
export function NotFoundPage({
  embedded = false,
  title = 'Page not found',
  message = "The page you're looking for doesn't exist or has moved.",
}: {
  embedded?: boolean
  title?: string
  message?: string
}) {
  useTitle(title)
  return (
    <div className={cn('flex flex-col items-center justify-center gap-4 p-6 text-center', embedded ? 'py-24' : 'min-h-full')}>
      {!embedded && <Logo className="mb-6" />}
      <SearchXIcon className="size-10 text-muted-foreground" aria-hidden="true" />
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="max-w-md text-sm text-muted-foreground">{message}</p>
      <Button asChild>
        <Link to="/">Go to your workspace</Link>
      </Button>
    </div>
  )
}
