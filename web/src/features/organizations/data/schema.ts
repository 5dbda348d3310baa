import { z } from 'zod'

/** What the organization form checks (mirrors OrganizationCreate). */
export const organizationSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name for your organization').max(100, 'Use at most 100 characters'),
})
