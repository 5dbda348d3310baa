import type { ComponentType } from 'react'

/** What every drawer section receives: the task it belongs to. */
export interface TaskDrawerSectionProps {
  orgId: string
  projectId: string
  taskId: string
}

/** A titled part of the task drawer below the task's own fields. */
export interface TaskDrawerSection {
  id: string
  Component: ComponentType<TaskDrawerSectionProps>
}

/**
 * The extra sections the task drawer renders, in order. Other features
 * (comments, attachments) add theirs with `addTaskDrawerSection` at import time.
 */
export const taskDrawerSections: TaskDrawerSection[] = []

/** Appends a section to the task drawer (once per id). */
export function addTaskDrawerSection(section: TaskDrawerSection): void {
  if (!taskDrawerSections.some((s) => s.id === section.id)) taskDrawerSections.push(section)
}
