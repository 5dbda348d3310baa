import type { components } from '@/api/schema'

type Schemas = components['schemas']

/** A project's kanban board: columns with their task cards, in order. */
export type Board = Schemas['Board']
/** A column on the board, with its cards. */
export type BoardColumn = Schemas['BoardColumn']
/** A board column without its cards. */
export type Column = Schemas['Column']
/** A task as the board and the list show it. */
export type TaskCard = Schemas['TaskCard']
/** A task with its subtasks and audit log. */
export type TaskDetail = Schemas['TaskDetail']
/** One checklist item of a task. */
export type Subtask = Schemas['Subtask']
/** One recorded change of a task. */
export type TaskAuditEntry = Schemas['TaskAuditEntry']
/** Body of PATCH …/tasks/{task_id}: only the changed fields. */
export type TaskUpdate = Schemas['TaskUpdate']
/** Task priorities, lowest first. */
export const priorities = ['low', 'medium', 'high', 'urgent'] as const
/** A task priority. */
export type Priority = (typeof priorities)[number]
