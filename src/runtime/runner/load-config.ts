import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { RunnerConfigError } from './errors.js'
import { isJobManager, type RunnerJobManager } from './job-manager-shape.js'

/** The app's jobs config, imported. */
export interface LoadedConfig {
  /** Absolute path of the config module. */
  path: string
  jobs: RunnerJobManager
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
    throw new RunnerConfigError(
      `The jobs config ${path} has no \`jobs\` export that is a JobManager ` +
        `(${module.jobs === undefined ? 'no `jobs` export' : 'the `jobs` export is something else'}). ` +
        'Export it: `export const jobs = new JobManager({ adapters, queues, workers, jobs: () => import(…) })`.',
    )
  }
  return { path, jobs: module.jobs }
}
