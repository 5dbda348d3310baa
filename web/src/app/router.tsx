import { createBrowserRouter, Navigate } from 'react-router'
import { AppShell } from '@/components/layout/app-shell'
import { OrgBoundary } from '@/components/layout/org-boundary'
import { RequireAuth } from '@/features/auth/require-auth'
import { HomeRedirect } from '@/features/auth/home-redirect'
import { SignInPage } from '@/features/auth/sign-in-page'
import { SignUpPage } from '@/features/auth/sign-up-page'
import { ClientsPage } from '@/features/clients/clients-page'
import { MailboxPage } from '@/features/dev-mailbox/mailbox-page'
import { CrashPage } from '@/features/errors/crash-page'
import { NotFoundPage } from '@/features/errors/not-found-page'
import { OnboardingPage } from '@/features/onboarding/onboarding-page'
import { VerifyEmailPage } from '@/features/verify-email/verify-email-page'

/** Every route of the app; the API binary serves index.html for all of them. */
export const router = createBrowserRouter([
  {
    path: '/',
    errorElement: <CrashPage />,
    children: [
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'sign-up', element: <SignUpPage /> },
      // Public: the token in the link is the credential, signed in or not.
      { path: 'verify-email', element: <VerifyEmailPage /> },
      {
        element: <RequireAuth />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'onboarding', element: <OnboardingPage /> },
          {
            element: <AppShell />,
            children: [
              {
                path: 'orgs/:orgId',
                element: <OrgBoundary />,
                children: [
                  { index: true, element: <Navigate to="clients" replace /> },
                  { path: 'clients', element: <ClientsPage /> },
                  { path: '*', element: <NotFoundPage embedded /> },
                ],
              },
              { path: 'dev/mailbox', element: <MailboxPage /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
])
