import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../testing/memory-adapter.js'
import type { JobsAdapter } from '../../types.js'
import type { RunnerJobManager } from '../job-manager-shape.js'
import { getStatusReport } from './status.js'

describe('status report', () => {
  const roots: string[] = []
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
  })

  it('still counts the other adapters\' jobs when one cannot (its server down, its package missing), and says which failed', async () => {
    const working = new MemoryAdapter()
    await working.schedule({ handler: { name: 'A', path: 'A/A', args: [] }, queue: 'default', priority: 50, runAt: new Date() })
    const broken: JobsAdapter = {
      ...new MemoryAdapter(),
      status: () => Promise.reject(new Error('BullMQAdapter needs the bullmq package: npm install bullmq ioredis')),
    } as unknown as JobsAdapter
    const jobs = { adapters: { queue: broken, prisma: working }, workers: [], queues: ['default'] } as unknown as RunnerJobManager
    const root = mkdtempSync(join(tmpdir(), 'jobs-kit-status-'))
    roots.push(root)
    const failed: string[] = []
    const report = await getStatusReport(jobs, root, new Date(), failed)
    expect(report).toContain('Jobs (adapter "queue"): could not count them: BullMQAdapter needs the bullmq package: npm install bullmq ioredis')
    expect(report).toMatch(/Jobs \(adapter "prisma"\):\n.*queue.*waiting[\s\S]*default\s+1/)
    expect(failed).toEqual(['queue'])
  })
})
