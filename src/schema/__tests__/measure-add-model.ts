/**
 * Measures, in a fresh process: `addBackgroundJobModel` as the first user of
 * the schema wasm (paying for loading it and handlebars); then
 * `findPrismaSchema` + `addBackgroundJobModel` on fresh trees, as `setup`
 * calls them (first, second, median of 20 more). Not a test: run it by hand,
 *   npx tsx src/schema/__tests__/measure-add-model.ts [fixture]
 * and run it a few times: the first call's figure depends on the disk cache.
 */
import { performance } from 'node:perf_hooks'
import { addBackgroundJobModel } from '../add-background-job-model.js'
import { findPrismaSchema } from '../find-prisma-schema.js'
import { fixtureFiles, memoryTree } from './schema-test-tree.js'

const fixture = process.argv[2] ?? 'doc-comments-sqlite'

async function once(): Promise<{ findMs: number; addMs: number }> {
  const { tree } = memoryTree(fixtureFiles(fixture))
  const start = performance.now()
  const schema = await findPrismaSchema(tree)
  const found = performance.now()
  await addBackgroundJobModel(tree, schema)
  return { findMs: found - start, addMs: performance.now() - found }
}

// addBackgroundJobModel alone, paying for the wasm itself: a location built by hand, so nothing has loaded it yet.
const cold = memoryTree(fixtureFiles('doc-comments-sqlite')).tree
const coldStart = performance.now()
await addBackgroundJobModel(cold, {
  path: 'prisma/schema.prisma',
  kind: 'file',
  provider: 'sqlite',
  generator: { provider: 'prisma-client' },
  migrationsPath: 'prisma/migrations',
  datasourceFile: 'prisma/schema.prisma',
  foundBy: 'measurement',
})
const coldMs = performance.now() - coldStart

const first = await once()
const second = await once()
const rest: number[] = []
for (let i = 0; i < 20; i++) rest.push((await once()).addMs)
rest.sort((a, b) => a - b)
const ms = (value: number) => `${value.toFixed(1)} ms`
console.log(`addBackgroundJobModel as the first wasm user in the process (doc-comments-sqlite): ${ms(coldMs)}`)
console.log(`${fixture}: then findPrismaSchema ${ms(first.findMs)}, addBackgroundJobModel ${ms(first.addMs)}`)
console.log(`${fixture}: again findPrismaSchema ${ms(second.findMs)}, addBackgroundJobModel ${ms(second.addMs)}, median of 20 more ${ms(rest[10]!)}`)
