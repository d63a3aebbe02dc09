import { posix } from 'node:path'
import type { JobSettings } from './read-job-settings.js'

/** Where a job's files go and how they import the config, the testing helper and each other. */
export interface JobFiles {
  jobName: string
  language: 'ts' | 'js'
  /** `<jobs>/<Name>Job`. */
  folder: string
  job: string
  test: string
  scenarios: string
  /** Module specifiers, as written in the generated files. */
  imports: {
    /** The jobs config (`lib/jobs`), from the job's folder. */
    config: string
    /** The vendored runtime's entry (`RedwoodJob`), from the job's folder. */
    runtime: string
    /** The vendored testing helper, from the job's folder. */
    testing: string
    /** `./<Name>Job`, from a sibling file. */
    job: string
    /** `./<Name>Job.scenarios`, from a sibling file. */
    scenarios: string
    /** `./<Name>Job/<Name>Job`, from the jobs index. */
    fromIndex: string
  }
}

/** Plans the paths of job `jobName` (already normalised) in an app laid out as `settings` says. */
export function planJobFiles(jobName: string, settings: JobSettings, language: 'ts' | 'js'): JobFiles {
  const folder = posix.join(settings.jobs, jobName)
  const base = posix.join(folder, jobName)
  const ext = settings.importExtension
  return {
    jobName,
    language,
    folder,
    job: `${base}.${language}`,
    test: `${base}.test.${language}`,
    scenarios: `${base}.scenarios.${language}`,
    imports: {
      config: specifier(folder, withoutExtension(settings.config), settings) + ext,
      runtime: specifier(folder, posix.join(settings.runtime, 'index'), settings) + ext,
      testing: specifier(folder, posix.join(settings.runtime, 'testing', 'index'), settings) + ext,
      job: `./${jobName}${ext}`,
      scenarios: `./${jobName}.scenarios${ext}`,
      fromIndex: `./${jobName}/${jobName}${ext}`,
    },
  }
}

/** Every file `g job` may have written for `jobName`, in either language (what `d job` removes). */
export function generatedFileNames(jobName: string): string[] {
  return ['ts', 'js'].flatMap((language) => [
    `${jobName}.${language}`,
    `${jobName}.test.${language}`,
    `${jobName}.scenarios.${language}`,
  ])
}

/** The alias form when the app has one and `target` is under its source root, else a relative path. */
function specifier(fromFolder: string, target: string, settings: JobSettings): string {
  const underSrcRoot = settings.srcRoot === '.' || target.startsWith(`${settings.srcRoot}/`)
  if (settings.importAlias !== null && underSrcRoot) {
    return settings.importAlias + posix.relative(settings.srcRoot, target)
  }
  const relative = posix.relative(fromFolder, target)
  return relative.startsWith('.') ? relative : `./${relative}`
}

function withoutExtension(path: string): string {
  return path.replace(/\.(c|m)?(t|j)sx?$/, '')
}
