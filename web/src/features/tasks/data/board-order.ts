import type { Board, TaskCard } from './types'

/** Where a dragged card lands: a column and the card it now follows (none: first). */
export interface CardDrop {
  taskId: string
  columnId: string
  index: number
}

/** The card at `index` of the target column after the move, without the dragged card. */
export function neighbours(board: Board, drop: CardDrop): { afterId?: string; beforeId?: string } {
  const column = board.columns.find((c) => c.id === drop.columnId)
  const others = (column?.tasks ?? []).filter((t) => t.id !== drop.taskId)
  const after = others[drop.index - 1]
  const before = others[drop.index]
  if (after) return { afterId: after.id }
  if (before) return { beforeId: before.id }
  return {}
}

/** The board with the card moved to its drop place (for the optimistic update). */
export function moveCard(board: Board, drop: CardDrop): Board {
  let card: TaskCard | undefined
  const without = board.columns.map((c) => {
    const found = c.tasks.find((t) => t.id === drop.taskId)
    if (found) card = found
    return { ...c, tasks: c.tasks.filter((t) => t.id !== drop.taskId) }
  })
  if (!card) return board
  const moved = { ...card, column_id: drop.columnId }
  return {
    ...board,
    columns: without.map((c) =>
      c.id === drop.columnId ? { ...c, tasks: [...c.tasks.slice(0, drop.index), moved, ...c.tasks.slice(drop.index)] } : c,
    ),
  }
}

/** The board with a column moved to `index` (for the optimistic update). */
export function moveColumn(board: Board, columnId: string, index: number): Board {
  const column = board.columns.find((c) => c.id === columnId)
  if (!column) return board
  const others = board.columns.filter((c) => c.id !== columnId)
  return { ...board, columns: [...others.slice(0, index), column, ...others.slice(index)] }
}
