/**
 * A tiny stand-in for `src/runtime/`, so snapshots of the vendored output do
 * not change whenever the real runtime does. It has what the transform must
 * handle: type-only files and imports, an interface, generics, `as`, `!`,
 * parameter properties, a multi-line template literal, import.meta.url,
 * dynamic import, blank lines and doc comments, and test files to leave out.
 */
export const runtimeSources = new Map<string, string>([
  ['index.ts', `/** The runtime's public API. */
export { JobManager } from './manager/job-manager.js'
export { backoffSeconds } from './worker/backoff.js'
export { ping } from './cycle/ping.js'
export * from './errors.js'
export type { Logger } from './types.js'
`],
  ['errors.ts', `/** Base class of the runtime's errors. */
export class JobsKitError extends Error {}
`],
  ['types.ts', `/** Anything with the four levels we log at. */
export interface Logger {
  info(...args: unknown[]): void
}
`],
  ['worker/backoff.ts', `/**
 * Seconds to wait before the next attempt: attempts⁴ (1, 16, 81, …).
 */
export function backoffSeconds(attempts: number): number {
  return attempts ** 4
}
`],
  ['manager/job-manager.ts', `import { fileURLToPath } from 'node:url'
import type { Logger } from '../types.js'
import { backoffSeconds } from '../worker/backoff.js'

const USAGE = \`Usage:
    work      run attached
    workoff   run what is due\`

/** Owns the queues and the registry. */
export class JobManager<TQueue extends string> {
  constructor(private readonly queues: readonly TQueue[], readonly logger: Logger = console) {}

  /** Where this file is, for spawning workers. */
  get self(): string {
    return fileURLToPath(import.meta.url)
  }

  async load(path: string): Promise<Record<string, unknown>> {
    const module = (await import(path)) as Record<string, unknown>

    return module!
  }

  delay(attempts: number): number {
    if (attempts > 10) {
      return backoffSeconds(10) as number
    }
    return backoffSeconds(attempts)
  }

  usage(): string {
    return USAGE + this.queues.join(',')
  }
}
`],
  // An import cycle: these two keep TypeScript's CommonJS emit (live bindings).
  ['cycle/ping.ts', `import { pong } from './pong.js'

export function ping(n: number): string {
  return n <= 0 ? 'ping' : pong(n - 1)
}
`],
  ['cycle/pong.ts', `import { ping } from './ping.js'

export const pong = (n: number): string => (n <= 0 ? 'pong' : ping(n - 1))
`],
  ['worker/backoff.test.ts', "import { it } from 'vitest'\nit('x', () => {})\n"],
  ['worker/__tests__/helper.ts', 'export const helper = 1\n'],
  ['__fixtures__/app/x.ts', 'export const x = 1\n'],
  ['types.test-d.ts', 'export {}\n'],
  ['README.md', '# The runtime\n'],
])
