import { posix } from 'node:path'
import type { Tree } from '../../tree/tree.js'
import { writeOrConflict } from '../../tree/write-or-conflict.js'
import { addQueue, readQueues } from './config-queues.js'
import { detectTestRunner, readAppDependencies } from './detect-test-runner.js'
import { NotSetUpError } from '../../app-record/errors.js'
import { readJobsKitJson } from '../../app-record/jobs-kit-json.js'
import { recordGeneratedChanges } from './added-queue.js'
import type { AddedRecurring } from '../../app-record/jobs-kit-json.js'
import { readJobsKitPackage } from '../../package-assets/package-files.js'
import { updatePackageJson } from '../setup/update-package-json.js'
import { addClassJobConfig } from './class-job-config.js'
import { addRecurring } from './config-recurring.js'
import { checkCronSchedule } from './cron-schedule.js'
import { InvalidJobOptionError, JobLanguageConflictError, JobOptionsConflictError } from './errors.js'
import { installCommand } from './test-command.js'
import { planJobFiles, type JobFiles } from './job-files.js'
import { addJobToIndex } from './jobs-index.js'
import { normalizeJobName } from './normalize-job-name.js'
import { jobSettingsOf, type JobSettings } from './read-job-settings.js'
import { renderJobFiles } from './render-job-files.js'
import { planTestCommand, testNextSteps } from './test-command.js'

/** The queue a job goes to when `--queue` is not given (and the config has it, or has no queue at all). */
export const DEFAULT_QUEUE = 'default'

/** Options of `generateJob`, as `jobs-kit g job` and the plop generator pass them. */
export interface GenerateJobOptions {
  /** What the user typed: `send-welcome-email`, `SendWelcomeEmail`, … (see `normalizeJobName`). */
  name: string
  /** The job's queue; added to the config's `queues` when it is not there yet. */
  queue?: string
  /** Lower runs first; left out of the job (the runtime's default, 50) when not given. */
  priority?: number
  /** Overrides the app's language from `jobs-kit.json`. */
  language?: 'ts' | 'js'
  /** Overwrite job files that exist with other content instead of recording conflicts. */
  force?: boolean
  /** A class-style job (`class XJob extends RedwoodJob`) instead of `jobs.createJob`; the config gets `RedwoodJob.config(...)` when it lacks it. */
  classStyle?: boolean
  /** A recurring job: a cron expression (5 fields, or 6 with seconds) for its entry in the config's `recurring`. */
  cron?: string
  /** The IANA time zone of `cron` (the runtime's default is UTC); only with `cron`. */
  timezone?: string
}

/** What a generator did: the normalised job name and every path it planned to write. */
export interface JobGeneratorResult {
  jobName: string
  files: string[]
  /** `g job` only: the command that runs the job's generated test from the app's root (it passes as generated). */
  testCommand?: string
  /** `g job` only: what to print after writing (install what the test needs, run the test). */
  nextSteps?: string[]
}

/**
 * Plans a new job on the tree: `<Name>Job.ts`, `.test.ts` and `.scenarios.ts`
 * in `<jobs>/<Name>Job/`, its line in the jobs index, and its queue in the
 * config's `queues` when the queue is new. Nothing is written until the
 * caller commits the tree.
 *
 * Running it again for the same job changes nothing. A job file that exists
 * with other content is recorded as a conflict on the tree (so the commit
 * refuses it) unless `force` is set. The same job in the other language is
 * refused, or replaced with `force`. When it throws, the tree is as it was.
 *
 * When no `queue` is given the job goes to `default` if the config has it (or
 * has no queues), else to the config's first queue.
 *
 * When the queue is new, `jobs-kit.json` records that `g job` added it for
 * this job (`addedQueues`): that is how `destroyJob` knows to remove the queue
 * again. The job's doc comment says so too, for the people reading it.
 *
 * `classStyle` writes `class <Name>Job extends RedwoodJob` and adds
 * `RedwoodJob.config(...)` to the config when it has none (recorded as
 * `addedClassJobConfig`). `cron` (checked with croner, with `timezone`)
 * writes a job whose `perform` takes no arguments, adds its entry to the
 * config's `recurring` (recorded as `addedRecurring`), and croner to the app's
 * package.json when it lacks it. See README.md next to this file.
 *
 * @throws {InvalidJobNameError} for a name that cannot become a job.
 * @throws {InvalidJobOptionError} for a queue, priority, cron expression or time zone that cannot be used.
 * @throws {JobOptionsConflictError} for `timezone` without `cron`.
 * @throws {NotSetUpError} when `jobs-kit.json`, the config or the jobs index is missing.
 * @throws {JobLanguageConflictError} when the job exists in the other language and `force` is not set.
 * @throws {JobNameTakenError} when the jobs index exports the name from another module.
 * @throws {UneditableFileError} when a new queue, the recurring entry or `RedwoodJob.config` cannot be added to the config.
 */
export async function generateJob(tree: Tree, options: GenerateJobOptions): Promise<JobGeneratorResult> {
  const jobName = normalizeJobName(options.name)
  checkQueueName(options.queue)
  checkPriority(options.priority)
  if (options.timezone !== undefined && options.cron === undefined) {
    throw new JobOptionsConflictError(
      `--timezone ${JSON.stringify(options.timezone)} was given without --cron: a time zone only applies to a cron schedule`,
      `Add the schedule, e.g. --cron "0 3 * * *" --timezone ${options.timezone}, or leave out --timezone.`,
    )
  }
  const schedule = options.cron === undefined ? null : await checkCronSchedule(options.cron, options.timezone)
  const record = readJobsKitJson(tree)
  const settings = jobSettingsOf(record)
  const language = options.language ?? settings.language
  const files = planJobFiles(jobName, settings, language)

  // Everything is worked out first and staged last, so a refusal leaves the tree as it was.
  const otherLanguage = planJobFiles(jobName, settings, language === 'ts' ? 'js' : 'ts')
  const existingOther = jobPaths(otherLanguage).filter((path) => tree.read(path) !== null)
  if (existingOther.length > 0 && !options.force) throw new JobLanguageConflictError(jobName, language, existingOther)

  const configText = readRequired(tree, settings.config, 'the jobs config')
  const indexText = readRequired(tree, settings.jobsIndex, 'the jobs index')
  const queues = await readQueues(settings.config, configText)
  const queue = options.queue ?? defaultQueue(queues)
  // An unreadable `queues` is left alone unless a queue was asked for by name.
  const newConfig = !queues?.includes(queue) && (options.queue !== undefined || queues !== null)
    ? await addQueue(settings.config, configText, queue)
    : configText
  const recurring = schedule ? await addRecurring(settings.config, newConfig, { job: jobName, ...schedule }) : null
  const withRecurring = recurring?.text ?? newConfig
  const finalConfig = options.classStyle ? await addClassJobConfig(settings.config, withRecurring) : withRecurring
  const newIndex = await addJobToIndex(settings.jobsIndex, indexText, {
    jobName,
    specifier: files.imports.fromIndex,
    commonJs: isCommonJsIndex(settings),
  })

  // The queue is recorded as added by g job when it is added now, or was when
  // this job was generated before (so `d job` can still undo it).
  const previous = record.addedQueues?.[jobName]
  const queueAddedTo = newConfig !== configText ? settings.config : previous?.queue === queue ? previous.config : null
  const testRunner = detectTestRunner(tree, settings)
  const test = planTestCommand(tree, files, settings, testRunner, readAppDependencies(tree, settings))
  const rendered = renderJobFiles(files, {
    queue,
    priority: options.priority,
    moduleType: settings.moduleType,
    queueAddedTo,
    testRunner,
    classStyle: options.classStyle,
    cron: schedule ?? undefined,
  })
  // The recurring runtime loads croner, an optional peer, in the workers: it goes into the package that holds
  // the jobs (Redwood's api/, which a focused production install such as `yarn workspaces focus api --production`
  // installs without the root's dependencies), else the root package.json.
  const sidePackage = posix.join(posix.dirname(settings.srcRoot), 'package.json')
  const cronerPackage = tree.read(sidePackage) !== null ? sidePackage : 'package.json'
  const addsCroner = schedule !== null && tree.read(cronerPackage) !== null && !readAppDependencies(tree, settings).has('croner')

  // The same job in the other language is replaced (force was checked above).
  const planned: string[] = []
  for (const path of existingOther) {
    tree.delete(path)
    planned.push(path)
  }
  if (finalConfig !== configText) {
    tree.write(settings.config, finalConfig)
    planned.push(settings.config)
  }
  for (const [path, content] of rendered) {
    writeOrConflict(tree, path, content, { force: options.force })
    planned.push(path)
  }
  if (newIndex !== indexText) {
    tree.write(settings.jobsIndex, newIndex)
    planned.push(settings.jobsIndex)
  }
  if (addsCroner) {
    updatePackageJson(tree, { scripts: {}, devDependencies: {}, dependencies: { croner: readJobsKitPackage().cronerRange }, force: false, path: cronerPackage })
    planned.push(cronerPackage)
  }
  // A re-run finds its own entry in place (createdArray false): what the first run recorded stands.
  const previousRecurring = record.addedRecurring?.[jobName]
  const addedRecurring: AddedRecurring | null = schedule === null || recurring === null
    ? null
    : recurring.text !== newConfig
      ? { config: settings.config, ...schedule, createdArray: recurring.createdArray }
      : previousRecurring ?? null
  const classConfigAdded = finalConfig !== withRecurring ? settings.config : record.addedClassJobConfig
  const recorded = recordGeneratedChanges(tree, record, jobName, {
    queue: queueAddedTo === null ? null : { queue, config: queueAddedTo },
    recurring: addedRecurring,
    classJobConfig: classConfigAdded,
  })
  if (recorded) planned.push(recorded)
  const nextSteps = testNextSteps(test)
  if (addsCroner) {
    nextSteps.unshift(`${installCommand(tree)}   # installs croner (added to ${cronerPackage}): workers need it to run the recurring schedule`)
  }
  return { jobName, files: planned.sort(), testCommand: test.command, nextSteps }
}

function jobPaths(files: JobFiles): string[] {
  return [files.job, files.test, files.scenarios]
}

/** True when the jobs index is a CommonJS module (`exports.X = require(…).X` lines). */
export function isCommonJsIndex(settings: JobSettings): boolean {
  if (settings.jobsIndex.endsWith('.cjs')) return true
  return settings.moduleType === 'cjs' && settings.jobsIndex.endsWith('.js')
}

/** Reads a file `setup` creates; its absence means setup has not run (or the file was removed). */
export function readRequired(tree: Tree, path: string, what: string): string {
  const text = tree.read(path)
  if (text === null) throw new NotSetUpError(`${what} (${path}, from jobs-kit.json) does not exist`)
  return text
}

function defaultQueue(queues: string[] | null): string {
  if (queues === null || queues.length === 0 || queues.includes(DEFAULT_QUEUE)) return DEFAULT_QUEUE
  return queues[0]
}

function checkQueueName(queue: string | undefined): void {
  if (queue === undefined) return
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/.test(queue)) {
    throw new InvalidJobOptionError(
      'queue',
      queue,
      'a queue name is 1 to 64 letters, digits, "_", ".", ":" or "-", starting with a letter or digit',
      'email',
    )
  }
}

function checkPriority(priority: number | undefined): void {
  if (priority === undefined) return
  if (!Number.isSafeInteger(priority) || priority < 0) {
    throw new InvalidJobOptionError('priority', priority, 'a priority is a whole number, 0 or more (lower runs first; the default is 50)', '10')
  }
}
