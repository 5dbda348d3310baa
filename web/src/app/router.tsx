import { createBrowserRouter, Navigate } from 'react-router'
import { AppShell } from '@/components/layout/app-shell'
import { ContactGate } from '@/components/layout/contact-gate'
import { OrgBoundary } from '@/components/layout/org-boundary'
import { AccountRedirect } from '@/features/account/account-redirect'
import { ProfilePage } from '@/features/account/profile-page'
import { SecurityPage } from '@/features/account/security-page'
import { ForgotPasswordPage } from '@/features/auth/forgot-password-page'
import { RequireAuth } from '@/features/auth/require-auth'
import { ResetPasswordPage } from '@/features/auth/reset-password-page'
import { HomeRedirect } from '@/features/auth/home-redirect'
import { SignInPage } from '@/features/auth/sign-in-page'
import { SignUpPage } from '@/features/auth/sign-up-page'
import { ClientsPage } from '@/features/clients/clients-page'
import { DashboardPage } from '@/features/dashboard/dashboard-page'
import { MyWorkPage } from '@/features/home/my-work-page'
import { BoardPage } from '@/features/tasks/board-page'
import { ListPage } from '@/features/tasks/list-page'
import { MailboxPage } from '@/features/dev-mailbox/mailbox-page'
import { FilesPage } from '@/features/files/files-page'
import { CrashPage } from '@/features/errors/crash-page'
import { NotFoundPage } from '@/features/errors/not-found-page'
import { OnboardingPage } from '@/features/onboarding/onboarding-page'
import { ActivityPage } from '@/features/projects/activity-page'
import { AuditLogPage } from '@/features/audit/audit-log-page'
import { ExportPage } from '@/features/exports/export-page'
import { ExportsPage } from '@/features/exports/exports-page'
import { ClientDetailPage } from '@/features/projects/client-detail-page'
import { ProjectLayout } from '@/features/projects/project-layout'
import { ProjectMembers } from '@/features/projects/project-members'
import { ProjectOverview } from '@/features/projects/project-overview'
import { ProjectsPage } from '@/features/projects/projects-page'
import { TemplatesPage } from '@/features/projects/templates-page'
import { SecurityPage as OrgSecurityPage } from '@/features/org-settings/security-page'
import { SettingsPage } from '@/features/org-settings/settings-page'
import { VerifyEmailPage } from '@/features/verify-email/verify-email-page'
import { AcceptInvitationPage } from '@/features/invitations/accept-invitation-page'
import { MembersPage } from '@/features/team/members-page'
import { RolesPage } from '@/features/team/roles-page'
import { TimesheetPage } from '@/features/time/timesheet-page'
import { InvoiceEditorPage } from '@/features/invoices/invoice-editor-page'
import { InvoicePage } from '@/features/invoices/invoice-page'
import { InvoicesPage } from '@/features/invoices/invoices-page'
import { PublicInvoicePage } from '@/features/invoices/public-invoice-page'
import { BillingPage } from '@/features/billing/billing-page'
import { NotificationPreferencesPage } from '@/features/notifications/preferences-page'
import { NotificationsPage } from '@/features/notifications/notifications-page'
import { PreferencesRedirect } from '@/features/notifications/preferences-redirect'
import { PortalLayout } from '@/features/portal/portal-layout'
import { PortalSummaryPage } from '@/features/portal/summary-page'
import { PortalProjectsPage } from '@/features/portal/projects-page'
import { PortalProjectPage } from '@/features/portal/project-page'
import { PortalTaskPage } from '@/features/portal/task-page'
import { PortalFilesPage } from '@/features/portal/files-page'
import { PortalInvoicesPage } from '@/features/portal/invoices-page'
import { PortalRequestsPage } from '@/features/portal/requests-page'
import { ApiKeysPage } from '@/features/developer/api-keys-page'
import { DeveloperPage } from '@/features/developer/reference-page'
import { WebhookEndpointPage } from '@/features/developer/webhook-endpoint-page'
import { WebhooksPage } from '@/features/developer/webhooks-page'
// Registers the task drawer's "Log time" section.
import '@/features/time/task-time-section'
// Register the task drawer's "Comments" and "Attachments" sections.
import '@/features/comments/comments-section'
import '@/features/files/attachments-section'

/** Every route of the app; the API binary serves index.html for all of them. */
export const router = createBrowserRouter([
  {
    path: '/',
    errorElement: <CrashPage />,
    children: [
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'sign-up', element: <SignUpPage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      // Public like verify-email: the token in the link is the credential.
      { path: 'reset-password', element: <ResetPasswordPage /> },
      // Public: the token in the link is the credential, signed in or not.
      { path: 'verify-email', element: <VerifyEmailPage /> },
      // Public: the preview needs only the token; accepting asks for sign-in or sign-up first.
      { path: 'invitations/accept', element: <AcceptInvitationPage /> },
      // Public: the token in the emailed link is the credential; no app shell, the sender's brand.
      { path: 'client-portal/invoices/:token', element: <PublicInvoicePage /> },
      // The API reference is public documentation: no sign-in needed.
      { path: 'developer', element: <DeveloperPage /> },
      {
        element: <RequireAuth />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'onboarding', element: <OnboardingPage /> },
          // The client portal: its own compact layout, for client contacts (and staff previewing a client).
          {
            path: 'client-portal/:orgId',
            element: <PortalLayout />,
            children: [
              { index: true, element: <PortalSummaryPage /> },
              { path: 'projects', element: <PortalProjectsPage /> },
              { path: 'projects/:projectId', element: <PortalProjectPage /> },
              { path: 'projects/:projectId/tasks/:taskId', element: <PortalTaskPage /> },
              { path: 'files', element: <PortalFilesPage /> },
              { path: 'invoices', element: <PortalInvoicesPage /> },
              { path: 'requests', element: <PortalRequestsPage /> },
              { path: 'notifications', element: <NotificationsPage /> },
              { path: '*', element: <NotFoundPage embedded /> },
            ],
          },
          {
            // Client contacts go to their portal before the staff shell renders.
            element: <ContactGate />,
            children: [
              {
                element: <AppShell />,
                children: [
                  {
                    path: 'orgs/:orgId',
                    element: <OrgBoundary />,
                    children: [
                      { index: true, element: <Navigate to="my-work" replace /> },
                      { path: 'my-work', element: <MyWorkPage /> },
                      { path: 'dashboard', element: <DashboardPage /> },
                      { path: 'clients', element: <ClientsPage /> },
                      { path: 'time', element: <TimesheetPage /> },
                      { path: 'invoices', element: <InvoicesPage /> },
                      { path: 'invoices/new', element: <InvoiceEditorPage /> },
                      { path: 'invoices/:invoiceId', element: <InvoicePage /> },
                      { path: 'invoices/:invoiceId/edit', element: <InvoiceEditorPage /> },
                      { path: 'settings', element: <SettingsPage /> },
                      { path: 'settings/security', element: <OrgSecurityPage /> },
                      { path: 'billing', element: <BillingPage /> },
                      { path: 'members', element: <MembersPage /> },
                      { path: 'roles', element: <RolesPage /> },
                      { path: 'audit-log', element: <AuditLogPage /> },
                      { path: 'clients/:clientId', element: <ClientDetailPage /> },
                      { path: 'projects', element: <ProjectsPage /> },
                      {
                        path: 'projects/:projectId',
                        element: <ProjectLayout />,
                        children: [
                          { index: true, element: <ProjectOverview /> },
                          { path: 'board', element: <BoardPage /> },
                          { path: 'list', element: <ListPage /> },
                          { path: 'files', element: <FilesPage /> },
                          { path: 'members', element: <ProjectMembers /> },
                        ],
                      },
                      { path: 'templates', element: <TemplatesPage /> },
                      { path: 'activity', element: <ActivityPage /> },
                      { path: 'exports', element: <ExportsPage /> },
                      { path: 'exports/:exportId', element: <ExportPage /> },
                      { path: 'notifications', element: <NotificationsPage /> },
                      { path: 'notifications/preferences', element: <PreferencesRedirect /> },
                      { path: 'api-keys', element: <ApiKeysPage /> },
                      { path: 'webhooks', element: <WebhooksPage /> },
                      { path: 'webhooks/:endpointId', element: <WebhookEndpointPage /> },
                      { path: '*', element: <NotFoundPage embedded /> },
                    ],
                  },
                  { path: 'dev/mailbox', element: <MailboxPage /> },
                  { path: 'account', element: <AccountRedirect /> },
                  { path: 'account/profile', element: <ProfilePage /> },
                  { path: 'account/security', element: <SecurityPage /> },
                  { path: 'account/notifications', element: <NotificationPreferencesPage /> },
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
