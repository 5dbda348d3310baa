import { createBrowserRouter, Navigate } from 'react-router'
import { ContactGate } from '@/components/layout/contact-gate'
import { FullPageLoading } from '@/components/layout/full-page'
import { HomeRedirect } from '@/features/auth/home-redirect'
import { RequireAuth } from '@/features/auth/require-auth'
import { SignInPage } from '@/features/auth/sign-in-page'
import { CrashPage } from '@/features/errors/crash-page'
import { NotFoundPage } from '@/features/errors/not-found-page'
import { RouteLoading } from './route-loading'

// Every page but sign-in (the first one most visitors see) is its own chunk, loaded by the router when the route
// is first visited: the sign-in page downloads no editor, drag and drop, charts or API reference. While a chunk
// loads the router keeps the current page on screen; on a first visit it shows the route's HydrateFallback.

/**
 * The task board and list open tasks in the drawer, whose comments, attachments and "Log time" sections register
 * themselves when imported: loaded with those two pages (and not on sign-in), before the page renders.
 */
const withDrawerSections = async <T,>(page: Promise<T>): Promise<T> => {
  const [loaded] = await Promise.all([
    page,
    import('@/features/time/task-time-section'),
    import('@/features/comments/comments-section'),
    import('@/features/files/attachments-section'),
  ])
  return loaded
}

/** Every route of the app; the API binary serves index.html for all of them. */
export const router = createBrowserRouter([
  {
    path: '/',
    errorElement: <CrashPage />,
    HydrateFallback: RouteLoading,
    children: [
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'sign-up', lazy: async () => ({ Component: (await import('@/features/auth/sign-up-page')).SignUpPage }) },
      { path: 'forgot-password', lazy: async () => ({ Component: (await import('@/features/auth/forgot-password-page')).ForgotPasswordPage }) },
      // Public like verify-email: the token in the link is the credential.
      { path: 'reset-password', lazy: async () => ({ Component: (await import('@/features/auth/reset-password-page')).ResetPasswordPage }) },
      // Public: the token in the link is the credential, signed in or not.
      { path: 'verify-email', lazy: async () => ({ Component: (await import('@/features/verify-email/verify-email-page')).VerifyEmailPage }) },
      // Public: the preview needs only the token; accepting asks for sign-in or sign-up first.
      { path: 'invitations/accept', lazy: async () => ({ Component: (await import('@/features/invitations/accept-invitation-page')).AcceptInvitationPage }) },
      // Public: the token in the emailed link is the credential; no app shell, the sender's brand.
      { path: 'client-portal/invoices/:token', lazy: async () => ({ Component: (await import('@/features/invoices/public-invoice-page')).PublicInvoicePage }) },
      // The API reference is public documentation: no sign-in needed.
      { path: 'developer', lazy: async () => ({ Component: (await import('@/features/developer/reference-page')).DeveloperPage }) },
      {
        element: <RequireAuth />,
        // What RequireAuth shows next while it asks who the user is: the first visit of a signed-in page does not jump.
        HydrateFallback: FullPageLoading,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'onboarding', lazy: async () => ({ Component: (await import('@/features/onboarding/onboarding-page')).OnboardingPage }) },
          // The client portal: its own compact layout, for client contacts (and staff previewing a client).
          {
            path: 'client-portal/:orgId',
            lazy: async () => ({ Component: (await import('@/features/portal/portal-layout')).PortalLayout }),
            children: [
              { index: true, lazy: async () => ({ Component: (await import('@/features/portal/summary-page')).PortalSummaryPage }) },
              { path: 'projects', lazy: async () => ({ Component: (await import('@/features/portal/projects-page')).PortalProjectsPage }) },
              { path: 'projects/:projectId', lazy: async () => ({ Component: (await import('@/features/portal/project-page')).PortalProjectPage }) },
              { path: 'projects/:projectId/tasks/:taskId', lazy: async () => ({ Component: (await import('@/features/portal/task-page')).PortalTaskPage }) },
              { path: 'files', lazy: async () => ({ Component: (await import('@/features/portal/files-page')).PortalFilesPage }) },
              { path: 'invoices', lazy: async () => ({ Component: (await import('@/features/portal/invoices-page')).PortalInvoicesPage }) },
              { path: 'requests', lazy: async () => ({ Component: (await import('@/features/portal/requests-page')).PortalRequestsPage }) },
              { path: 'notifications', lazy: async () => ({ Component: (await import('@/features/notifications/notifications-page')).NotificationsPage }) },
              { path: '*', element: <NotFoundPage embedded /> },
            ],
          },
          {
            // Client contacts go to their portal before the staff shell renders.
            element: <ContactGate />,
            children: [
              {
                lazy: async () => ({ Component: (await import('@/components/layout/app-shell')).AppShell }),
                children: [
                  {
                    path: 'orgs/:orgId',
                    lazy: async () => ({ Component: (await import('@/components/layout/org-boundary')).OrgBoundary }),
                    children: [
                      { index: true, element: <Navigate to="my-work" replace /> },
                      { path: 'my-work', lazy: async () => ({ Component: (await import('@/features/home/my-work-page')).MyWorkPage }) },
                      { path: 'dashboard', lazy: async () => ({ Component: (await import('@/features/dashboard/dashboard-page')).DashboardPage }) },
                      { path: 'clients', lazy: async () => ({ Component: (await import('@/features/clients/clients-page')).ClientsPage }) },
                      { path: 'time', lazy: async () => ({ Component: (await import('@/features/time/timesheet-page')).TimesheetPage }) },
                      { path: 'invoices', lazy: async () => ({ Component: (await import('@/features/invoices/invoices-page')).InvoicesPage }) },
                      { path: 'invoices/new', lazy: async () => ({ Component: (await import('@/features/invoices/invoice-editor-page')).InvoiceEditorPage }) },
                      { path: 'invoices/:invoiceId', lazy: async () => ({ Component: (await import('@/features/invoices/invoice-page')).InvoicePage }) },
                      { path: 'invoices/:invoiceId/edit', lazy: async () => ({ Component: (await import('@/features/invoices/invoice-editor-page')).InvoiceEditorPage }) },
                      { path: 'settings', lazy: async () => ({ Component: (await import('@/features/org-settings/settings-page')).SettingsPage }) },
                      { path: 'settings/security', lazy: async () => ({ Component: (await import('@/features/org-settings/security-page')).SecurityPage }) },
                      { path: 'billing', lazy: async () => ({ Component: (await import('@/features/billing/billing-page')).BillingPage }) },
                      { path: 'members', lazy: async () => ({ Component: (await import('@/features/team/members-page')).MembersPage }) },
                      { path: 'roles', lazy: async () => ({ Component: (await import('@/features/team/roles-page')).RolesPage }) },
                      { path: 'audit-log', lazy: async () => ({ Component: (await import('@/features/audit/audit-log-page')).AuditLogPage }) },
                      { path: 'clients/:clientId', lazy: async () => ({ Component: (await import('@/features/projects/client-detail-page')).ClientDetailPage }) },
                      { path: 'projects', lazy: async () => ({ Component: (await import('@/features/projects/projects-page')).ProjectsPage }) },
                      {
                        path: 'projects/:projectId',
                        lazy: async () => ({ Component: (await import('@/features/projects/project-layout')).ProjectLayout }),
                        children: [
                          { index: true, lazy: async () => ({ Component: (await import('@/features/projects/project-overview')).ProjectOverview }) },
                          { path: 'board', lazy: async () => ({ Component: (await withDrawerSections(import('@/features/tasks/board-page'))).BoardPage }) },
                          { path: 'list', lazy: async () => ({ Component: (await withDrawerSections(import('@/features/tasks/list-page'))).ListPage }) },
                          { path: 'files', lazy: async () => ({ Component: (await import('@/features/files/files-page')).FilesPage }) },
                          { path: 'members', lazy: async () => ({ Component: (await import('@/features/projects/project-members')).ProjectMembers }) },
                        ],
                      },
                      { path: 'templates', lazy: async () => ({ Component: (await import('@/features/projects/templates-page')).TemplatesPage }) },
                      { path: 'activity', lazy: async () => ({ Component: (await import('@/features/projects/activity-page')).ActivityPage }) },
                      { path: 'exports', lazy: async () => ({ Component: (await import('@/features/exports/exports-page')).ExportsPage }) },
                      { path: 'exports/:exportId', lazy: async () => ({ Component: (await import('@/features/exports/export-page')).ExportPage }) },
                      { path: 'notifications', lazy: async () => ({ Component: (await import('@/features/notifications/notifications-page')).NotificationsPage }) },
                      { path: 'notifications/preferences', lazy: async () => ({ Component: (await import('@/features/notifications/preferences-redirect')).PreferencesRedirect }) },
                      { path: 'api-keys', lazy: async () => ({ Component: (await import('@/features/developer/api-keys-page')).ApiKeysPage }) },
                      { path: 'webhooks', lazy: async () => ({ Component: (await import('@/features/developer/webhooks-page')).WebhooksPage }) },
                      { path: 'webhooks/:endpointId', lazy: async () => ({ Component: (await import('@/features/developer/webhook-endpoint-page')).WebhookEndpointPage }) },
                      { path: '*', element: <NotFoundPage embedded /> },
                    ],
                  },
                  { path: 'dev/mailbox', lazy: async () => ({ Component: (await import('@/features/dev-mailbox/mailbox-page')).MailboxPage }) },
                  { path: 'account', lazy: async () => ({ Component: (await import('@/features/account/account-redirect')).AccountRedirect }) },
                  { path: 'account/profile', lazy: async () => ({ Component: (await import('@/features/account/profile-page')).ProfilePage }) },
                  { path: 'account/security', lazy: async () => ({ Component: (await import('@/features/account/security-page')).SecurityPage }) },
                  { path: 'account/notifications', lazy: async () => ({ Component: (await import('@/features/notifications/preferences-page')).NotificationPreferencesPage }) },
                ],
              },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
])
