import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

/** The organization's dashboard as the API answers it. */
export type Dashboard = components['schemas']['Dashboard']

/** The periods the selector offers, in months (the API takes 1 to 24). */
export const dashboardPeriods = [3, 6, 12, 24] as const

/** ?months= as a supported period, else the default of 6. */
export function parsePeriod(value: string | null): number {
  const n = Number(value)
  return (dashboardPeriods as readonly number[]).includes(n) ? n : 6
}

/** GET …/dashboard for a client (or all) over the last `months` months. */
export function useDashboard(orgId: string, clientId: string | undefined, months: number) {
  return useQuery({
    queryKey: ['orgs', orgId, 'dashboard', clientId ?? '', months],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org_id}/dashboard', {
          params: { path: { org_id: orgId }, query: { client_id: clientId, months } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  })
}

/** "2026-07" → "Jul 2026" (UTC, the API's months). */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number)
  return new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year, m - 1, 1))
}
