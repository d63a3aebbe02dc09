import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { classStyleManager } from './class-style-config.js'
import { RunnerConfigError } from './errors.js'
import { isJobManager, type RunnerJobManager } from './job-manager-shape.js'

/** The app's jobs config, imported. */
export interface LoadedConfig {
  /** Absolute path of the config module. */
  path: string
  jobs: RunnerJobManager
  /** Every export of the config module (what `--adapter <name>` and `--logger <name>` may name). */
  exports: Record<string, unknown>
}

/**
 * Imports the app's jobs config (`--config`, or `JOBS_KIT_CONFIG`) and checks
 * that it exports `jobs`, a `JobManager`.
 */
export async function loadConfig(configPath: string | undefined, appRoot: string): Promise<LoadedConfig> {
  if (configPath === undefined) {
    throw new RunnerConfigError(
      'No jobs config given. Pass --config <path>, e.g. --config src/lib/jobs.ts, or set JOBS_KIT_CONFIG. ' +
        'The `jobs` script that `jobs-kit setup` adds to package.json passes it for you: npm run jobs -- <command>.',
    )
  }
  const path = resolve(appRoot, configPath)
  if (!existsSync(path)) {
    throw new RunnerConfigError(
      `The jobs config ${path} does not exist (from "${configPath}", relative to ${appRoot}). ` +
        'Check --config / JOBS_KIT_CONFIG, or run `npx jobs-kit setup` to create it.',
    )
  }
  let module: Record<string, unknown>
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  } catch (error) {
    throw new RunnerConfigError(
      `Could not import the jobs config ${path}: ${(error as Error)?.message ?? String(error)}. ` +
        'Fix the error above; TypeScript configs need tsx (`tsx <runtime>/runner/cli.ts …`).',
      { cause: error },
    )
  }
  if (!isJobManager(module.jobs)) {
    // The seed's class-style config: an exported adapter, RedwoodJob.config, and a `jobs` object of job instances.
    const classStyle = classStyleManager(module)
    if (classStyle) return { path, jobs: classStyle, exports: module }
    throw new RunnerConfigError(
      `The jobs config ${path} has no \`jobs\` export that is a JobManager ` +
        `(${module.jobs === undefined ? 'no `jobs` export' : 'the `jobs` export is something else'}). ` +
        'Export it: `export const jobs = new JobManager({ adapters, queues, workers, jobs: () => import(…) })` ' +
        '(or, in the class style, export the adapter: `export const adapter = new PrismaAdapter({ db })`).',
    )
  }
  return { path, jobs: module.jobs, exports: module }
}
