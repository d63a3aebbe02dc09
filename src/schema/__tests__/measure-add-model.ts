/**
 * Measures `findPrismaSchema` + `addBackgroundJobModel` in a fresh process,
 * the first call paying for loading the schema wasm and handlebars, and a
 * second call on a fresh tree. Not a test: run it by hand,
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

const first = await once()
const second = await once()
const rest: number[] = []
for (let i = 0; i < 20; i++) rest.push((await once()).addMs)
rest.sort((a, b) => a - b)
const ms = (value: number) => `${value.toFixed(1)} ms`
console.log(`${fixture}: first findPrismaSchema ${ms(first.findMs)} (loads the wasm), first addBackgroundJobModel ${ms(first.addMs)}`)
console.log(`${fixture}: second findPrismaSchema ${ms(second.findMs)}, second addBackgroundJobModel ${ms(second.addMs)}, median of 20 more ${ms(rest[10]!)}`)
