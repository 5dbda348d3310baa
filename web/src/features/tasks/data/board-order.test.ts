import { describe, expect, it } from 'vitest'
import { moveCard, moveColumn, neighbours } from './board-order'
import type { Board } from './types'

const card = (id: string, column: string) => ({
  id, column_id: column, number: 1, title: id, priority: 'medium' as const, due_date: null, position: id,
  completed_at: null, created_at: '', assignees: [], subtasks_done: 0, subtasks_total: 0,
})
const column = (id: string, tasks: string[]) => ({
  id, project_id: 'p', name: id, color: '#000000', position: id, is_done: false, created_at: '', updated_at: '',
  tasks: tasks.map((t) => card(t, id)),
})
const board: Board = { columns: [column('todo', ['a', 'b', 'c']), column('done', ['d'])] }

describe('neighbours', () => {
  it('names the card the drop follows', () => {
    expect(neighbours(board, { taskId: 'a', columnId: 'todo', index: 2 })).toEqual({ afterId: 'c' })
  })
  it('names the first card when dropped at the top', () => {
    expect(neighbours(board, { taskId: 'c', columnId: 'todo', index: 0 })).toEqual({ beforeId: 'a' })
  })
  it('names nothing in an empty column', () => {
    expect(neighbours({ columns: [column('x', [])] }, { taskId: 'a', columnId: 'x', index: 0 })).toEqual({})
  })
})

describe('moveCard', () => {
  it('moves a card between columns at the index', () => {
    const next = moveCard(board, { taskId: 'b', columnId: 'done', index: 1 })
    expect(next.columns[0].tasks.map((t) => t.id)).toEqual(['a', 'c'])
    expect(next.columns[1].tasks.map((t) => t.id)).toEqual(['d', 'b'])
    expect(next.columns[1].tasks[1].column_id).toBe('done')
  })
})

describe('moveColumn', () => {
  it('reorders columns', () => {
    expect(moveColumn(board, 'done', 0).columns.map((c) => c.id)).toEqual(['done', 'todo'])
  })
})
