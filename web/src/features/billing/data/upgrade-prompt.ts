import { useSyncExternalStore } from 'react'

/** What a plan_limit_reached answer said: the metric, the plan's limit, the usage and the plan. */
export interface LimitHit {
  metric: string
  limit: number | null
  usage: number | null
  plan: string
  detail: string
}

let current: LimitHit | null = null
const listeners = new Set<() => void>()

function emit() {
  for (const l of listeners) l()
}

/** Opens the upgrade prompt; the query client calls it for every 402 plan_limit_reached. */
export function showUpgradePrompt(hit: LimitHit) {
  current = hit
  emit()
}

/** Closes the upgrade prompt. */
export function dismissUpgradePrompt() {
  current = null
  emit()
}

function subscribe(listener: () => void) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The limit hit to prompt about, or null. */
export function useUpgradePrompt(): LimitHit | null {
  return useSyncExternalStore(subscribe, () => current)
}
