import { JobNotRegisteredError, RegistryLoadError } from '../errors.js'
import type { Job, JobRegistryModule } from '../types.js'
import { getJobDefinition } from './job-definition.js'

/**
 * The app's jobs index, loaded lazily through the config's `jobs` loader
 * (`() => import('../jobs/index.js')`, or a CommonJS `() => require(...)`).
 *
 * Workers look jobs up here by the name stored in the row; the scheduler
 * looks up the name of a job object here when `createJob` was given none.
 * Nothing is ever imported from a path read from the database.
 */
export class JobRegistry {
  private module: JobRegistryModule | undefined
  private loading: Promise<JobRegistryModule> | undefined
  private readonly names = new WeakMap<object, string>()
  private readonly checkedNames = new Set<string>()
  /** What the loader threw last time, to recognise a failure Node keeps (see `callLoader`). */
  private lastFailure: unknown

  constructor(private readonly loader: () => unknown) {}

  /** The job exported under `name`, or undefined when there is none. */
  async findJob(name: string): Promise<Job<string, unknown[]> | undefined> {
    // Loaded already (every job after the first): no await of load()'s own promise, one per job the worker runs.
    const module = this.module ?? (await this.load())
    for (const exports of exportObjects(module)) {
      if (!Object.prototype.hasOwnProperty.call(exports, name)) continue
      const candidate = exports[name]
      if (getJobDefinition(candidate)) return candidate as Job<string, unknown[]>
    }
    return undefined
  }

  /** The export name of `job`, found by identity and remembered. Throws `JobNotRegisteredError`. */
  async nameOf(job: object, description: string): Promise<string> {
    const known = this.names.get(job)
    if (known) return known
    const module = await this.load()
    for (const exports of exportObjects(module)) {
      for (const [name, value] of Object.entries(exports)) {
        if (value === job) {
          this.names.set(job, name)
          return name
        }
      }
    }
    throw new JobNotRegisteredError(description, describeLoader(this.loader))
  }

  /**
   * Returns `name` if the jobs index exports a job under it, so a typo in
   * `createJob({ name })` fails when scheduling instead of in the worker.
   * Throws `JobNotRegisteredError`. Checked once per name.
   */
  async checkName(name: string): Promise<string> {
    if (this.checkedNames.has(name)) return name
    if (!(await this.findJob(name))) throw new JobNotRegisteredError(`The job named "${name}"`, describeLoader(this.loader))
    this.checkedNames.add(name)
    return name
  }

  /** The export name of `job` if the index is already loaded and exports it; never loads. */
  knownNameOf(job: object): string | undefined {
    const known = this.names.get(job)
    if (known || !this.module) return known
    for (const exports of exportObjects(this.module)) {
      for (const [name, value] of Object.entries(exports)) if (value === job) return name
    }
    return undefined
  }

  /**
   * Loads the jobs index once; a failed load is retried on the next call (an ES
   * module that threw stays failed in Node, see `callLoader`).
   */
  async load(): Promise<JobRegistryModule> {
    if (this.module) return this.module
    this.loading ??= this.callLoader()
    try {
      this.module = await this.loading
      return this.module
    } finally {
      this.loading = undefined
    }
  }

  private async callLoader(): Promise<JobRegistryModule> {
    let module: unknown
    try {
      module = await this.loader()
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      // The very same error object again: Node keeps an ES module whose evaluation threw (an env var
      // missing when it first loaded, say) failed for the life of the process, and every import() of it
      // rethrows that error without running it again. Only a new process can load it.
      const kept = error !== undefined && error !== null && error === this.lastFailure
      this.lastFailure = error
      if (kept) {
        throw new RegistryLoadError(
          `Loading your jobs index (${describeLoader(this.loader)}) failed: ${message}. ` +
            'This process cannot load it again, even once the cause is gone: Node keeps an ES module that threw while loading ' +
            'failed for as long as the process runs. Fix the cause, then restart the worker.',
          { cause: error, restartNeeded: true },
        )
      }
      throw new RegistryLoadError(
        `Loading your jobs index (${describeLoader(this.loader)}) failed: ${message}. ` +
          `Fix that error in the jobs index or in one of the jobs it exports.`,
        { cause: error },
      )
    }
    if (typeof module !== 'object' || module === null) {
      throw new RegistryLoadError(
        `Your config's \`jobs\` loader (${describeLoader(this.loader)}) returned ${module === null ? 'null' : typeof module}, ` +
          `not a module. It should return the jobs index: jobs: () => import('../jobs/index.js').`,
      )
    }
    return module as JobRegistryModule
  }
}

/**
 * The objects whose properties are jobs: the module itself, and its default
 * export when that is an object (a CommonJS index imported from ESM).
 */
function exportObjects(module: JobRegistryModule): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [module]
  const fallback = module.default
  if (typeof fallback === 'object' && fallback !== null && !getJobDefinition(fallback)) objects.push(fallback as Record<string, unknown>)
  return objects
}

/**
 * The path the loader imports, read from its source text, for error messages
 * only (it is never imported from here). Falls back to a generic description.
 */
export function describeLoader(loader: () => unknown): string {
  // `__vite_ssr_dynamic_import__` is what `import()` becomes under Vitest.
  const match = /(?:import|require|__vite_ssr_dynamic_import__)\(\s*['"`]([^'"`]+)['"`]\s*\)/.exec(String(loader))
  return match?.[1] ?? 'the module your config\'s `jobs` loader returns'
}
