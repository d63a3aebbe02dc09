import { isLogger } from '../manager/is-logger.js'
import type { JobsAdapter, Logger } from '../types.js'
import { RunnerUsageError } from './errors.js'
import type { RunnerJobManager } from './job-manager-shape.js'

/** Whether `value` looks like a jobs adapter (what `adapters` in the config holds). */
export function isAdapter(value: unknown): value is JobsAdapter {
  const candidate = value as Partial<JobsAdapter> | null
  return typeof candidate?.schedule === 'function' && typeof candidate.find === 'function'
}

/**
 * The one-worker flags that name exports of the jobs config, as the seed's
 * worker flags do: `--adapter <name>` may name an exported adapter (when no
 * adapter of that name is in the config's `adapters`), and `--logger <name>`
 * an exported logger (`--logger logger` falls back to `console` when the
 * config exports no `logger`). Returns the manager to run with (its
 * `adapters` extended by the exported one) and the worker's logger.
 */
export function resolveWorkerExports(
  jobs: RunnerJobManager,
  exports: Record<string, unknown>,
  flags: { adapter?: string; loggerExport?: string },
): { jobs: RunnerJobManager; logger?: Logger } {
  let resolved = jobs
  const { adapter, loggerExport } = flags
  if (adapter !== undefined && !Object.prototype.hasOwnProperty.call(jobs.adapters, adapter)) {
    const exported = exports[adapter]
    if (!isAdapter(exported)) {
      throw new RunnerUsageError(
        `--adapter "${adapter}" is neither in your config's adapters (${Object.keys(jobs.adapters).join(', ') || 'none'}) ` +
          `nor an export of the jobs config that is an adapter. Use one of those names, or export it: export const ${adapter} = new PrismaAdapter({ db }).`,
      )
    }
    resolved = {
      adapters: { ...jobs.adapters, [adapter]: exported },
      queues: jobs.queues,
      logger: jobs.logger,
      workers: jobs.workers,
      hooks: jobs.hooks,
      loadJob: (name) => jobs.loadJob(name),
    }
  }
  if (loggerExport === undefined) return { jobs: resolved }
  const exported = exports[loggerExport]
  if (isLogger(exported)) return { jobs: resolved, logger: exported as Logger }
  if (exported === undefined && loggerExport === 'logger') return { jobs: resolved, logger: console }
  throw new RunnerUsageError(
    `--logger "${loggerExport}" is neither a log level (debug, info, warn, error) nor an export of the jobs config that is a logger ` +
      `(${exported === undefined ? 'there is no such export' : 'that export has no debug/info/warn/error methods'}). ` +
      `Export it (export const ${loggerExport} = …), or pass a level.`,
  )
}
