/**
 * docs/adapters.md's table of adapters and their capabilities says what each
 * adapter's `capabilities` object says: the runtime and the docs read one source.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BullMQAdapter } from '../../src/runtime/adapters/bullmq/bullmq-adapter.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { RabbitMQAdapter } from '../../src/runtime/adapters/rabbitmq/rabbitmq-adapter.js'
import { MemoryAdapter } from '../../src/runtime/testing/memory-adapter.js'
import type { AdapterCapabilities, JobsAdapter } from '../../src/runtime/types.js'
import { repoRoot } from '../support/prisma-clients.js'

/** Each adapter the docs list, by the name in the table's first column (constructing one opens no connection). */
const adapters: Record<string, () => JobsAdapter> = {
  PrismaAdapter: () => new PrismaAdapter({ db: {} }),
  BullMQAdapter: () => new BullMQAdapter({ connection: {} }),
  MemoryAdapter: () => new MemoryAdapter(),
  RabbitMQAdapter: () => new RabbitMQAdapter({ url: 'amqp://127.0.0.1' }),
}

const columns: Array<keyof AdapterCapabilities> = ['transactionalEnqueue', 'order', 'staleRecovery', 'statusCounts', 'jobLookup']

function readTable(): Map<string, string[]> {
  const text = readFileSync(join(repoRoot, 'docs/adapters.md'), 'utf8')
  const start = text.indexOf('| adapter | transactionalEnqueue |')
  expect(start, 'docs/adapters.md has the capabilities table').toBeGreaterThan(0)
  const rows = new Map<string, string[]>()
  for (const line of text.slice(start).split('\n').slice(2)) {
    if (!line.startsWith('|')) break
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim())
    rows.set(/`(\w+)`/.exec(cells[0])![1], cells.slice(1))
  }
  return rows
}

const render = (value: unknown) => (value === true ? 'yes' : value === false ? 'no' : String(value))

describe('docs/adapters.md capabilities table', () => {
  it('lists every adapter with the capabilities it declares', () => {
    const table = readTable()
    expect([...table.keys()].sort()).toEqual(Object.keys(adapters).sort())
    for (const [name, create] of Object.entries(adapters)) {
      const declared = create().capabilities!
      // A cell may add a remark after the value: "yes (accepts `db` and ignores it)".
      const documented = table.get(name)!.map((cell) => cell.split(' ')[0])
      expect(documented, name).toEqual(columns.map((column) => render(declared[column])))
    }
  })
})
