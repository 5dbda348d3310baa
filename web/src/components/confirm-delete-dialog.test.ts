import { describe, expect, it, vi } from 'vitest'
import { toast } from 'sonner'
import { parseProblem } from '@/api/errors'
import { deleteWithFeedback } from './confirm-delete-dialog'

vi.mock('sonner', () => ({ toast: { success: vi.fn(), info: vi.fn(), error: vi.fn() } }))

const messages = { deleted: 'Deleted', gone: 'Already gone', failed: 'Refused' }
const problem = (status: number) => parseProblem(status, { title: 't', status, detail: `detail ${status}` }, new Headers())

describe('deleteWithFeedback', () => {
  it('closes after a delete', async () => {
    await expect(deleteWithFeedback(async () => undefined, messages)).resolves.toBe(true)
    expect(toast.success).toHaveBeenCalledWith('Deleted')
  })
  it('closes when someone else deleted it first', async () => {
    await expect(deleteWithFeedback(() => Promise.reject(problem(404)), messages)).resolves.toBe(true)
    expect(toast.info).toHaveBeenCalledWith('Already gone')
  })
  it('stays open and says why when the server refuses', async () => {
    await expect(deleteWithFeedback(() => Promise.reject(problem(403)), messages)).resolves.toBe(false)
    expect(toast.error).toHaveBeenCalledWith('Refused', { description: 'detail 403' })
  })
  it('stays open on a server error, which the global handler reports', async () => {
    vi.mocked(toast.error).mockClear()
    await expect(deleteWithFeedback(() => Promise.reject(problem(500)), messages)).resolves.toBe(false)
    expect(toast.error).not.toHaveBeenCalled()
  })
})
