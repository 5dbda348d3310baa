import type { ReactNode } from 'react'
import { Logo } from '@/components/layout/logo'
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card'

/** The centred card used by sign-in, sign-up, onboarding and email verification; `banner` spans the top edge. */
export function AuthLayout({
  title,
  description,
  footer,
  banner,
  children,
}: {
  title: string
  description: ReactNode
  footer?: ReactNode
  banner?: ReactNode
  children: ReactNode
}) {
  return (
    <main className="flex min-h-full flex-col bg-muted/40">
      {banner}
      <div className="flex flex-1 flex-col items-center justify-center px-4 py-10">
        <div className="mb-8">
          <Logo />
        </div>
        <Card className="w-full max-w-sm">
          <CardHeader>
            <CardTitle>{title}</CardTitle>
            <CardDescription>{description}</CardDescription>
          </CardHeader>
          <CardContent>{children}</CardContent>
          {footer && <CardFooter className="justify-center text-sm text-muted-foreground">{footer}</CardFooter>}
        </Card>
      </div>
    </main>
  )
}
