import { WORKER_SETTING_DEFAULTS } from '../worker-settings.js'
import { getJobDefinition } from '../manager/job-definition.js'
import { isLogger } from '../manager/is-logger.js'
import { jobNameOf, type RedwoodJobClass } from '../manager/redwood-job.js'
import type { Job, Logger } from '../types.js'
import { isAdapter } from './config-exports.js'
import { RunnerConfigError } from './errors.js'
import type { RunnerJobManager } from './job-manager-shape.js'

/** The export the seed's class-style config must have for the runner: its adapter. */
const ADAPTER_EXPORT = 'adapter'

/**
 * A jobs config written the seed's class-style way, with no `JobManager`:
 *
 * ```ts
 * export const adapter = new PrismaAdapter({ db, logger })
 * RedwoodJob.config({ adapter, logger })
 * export const jobs = { sendWelcomeEmailJob: new SendWelcomeEmailJob() }
 * ```
 *
 * The runner then uses the exported `adapter` (one worker on every queue, the
 * default settings, which the worker flags override), the exported `logger`
 * (else `console`), and finds jobs among the classes of the `jobs` export
 * (instances or classes) and the job classes the config exports itself, by
 * their stored name (two classes of one name are refused). Returns undefined
 * when the module is not such a config.
 */
export function classStyleManager(exports: Record<string, unknown>): RunnerJobManager | undefined {
  const adapter = exports[ADAPTER_EXPORT]
  if (!isAdapter(adapter)) return undefined
  const classes = new Map<string, RedwoodJobClass>()
  const jobsExport = exports.jobs
  const candidates = [...Object.values(exports), ...(typeof jobsExport === 'object' && jobsExport !== null ? Object.values(jobsExport) : [])]
  for (const candidate of candidates) {
    const jobClass = typeof candidate === 'function' ? candidate : (candidate as { constructor?: unknown } | null)?.constructor
    if (typeof jobClass !== 'function' || !getJobDefinition(jobClass)) continue
    const name = jobNameOf(jobClass as RedwoodJobClass)
    const known = classes.get(name)
    // Rows name the class only by its name: two classes of one name would run one's jobs with the other's perform.
    if (known !== undefined && known !== jobClass) {
      throw new RunnerConfigError(
        `In the jobs config, two job classes are named "${name}" (say, in two files); a worker could not tell their jobs apart. ` +
          `Rename one, or give one a name of its own: static jobName = '${name}2'.`,
      )
    }
    classes.set(name, jobClass as RedwoodJobClass)
  }
  const queues = [...new Set(['default', ...[...classes.values()].map((jobClass) => jobClass.queue ?? 'default')])]
  return {
    adapters: { [ADAPTER_EXPORT]: adapter },
    queues,
    logger: isLogger(exports.logger) ? (exports.logger as Logger) : console,
    workers: [
      {
        adapter: ADAPTER_EXPORT,
        queue: '*',
        ...WORKER_SETTING_DEFAULTS,
      },
    ],
    loadJob: async (name) => classes.get(name) as unknown as Job<string, unknown[]> | undefined,
  }
}
