import { posix } from 'node:path'
import type { Tree } from '../../tree/tree.js'
import { removeQueue } from './config-queues.js'
import { JobNotFoundError } from './errors.js'
import { isCommonJsIndex, readRequired, type JobGeneratorResult } from './generate-job.js'
import { generatedFileNames } from './job-files.js'
import { removeJobFromIndex } from './jobs-index.js'
import { normalizeJobName } from './normalize-job-name.js'
import { jobSettingsOf } from './read-job-settings.js'
import { readJobsKitJson, type JobsKitJson } from '../../app-record/jobs-kit-json.js'
import { recordGeneratedChanges } from './added-queue.js'
import { hasClassJobConfig, removeClassJobConfig } from './class-job-config.js'
import { readRecurringJobs, removeRecurring } from './config-recurring.js'

/** Options of `destroyJob`. */
export interface DestroyJobOptions {
  /** The job's name, in any form `g job` accepts. */
  name: string
}

/**
 * Plans the exact inverse of `generateJob` on the tree: deletes the job's
 * generated files (`<Name>Job`, `.test`, `.scenarios`, in TS or JS; the folder
 * goes with them when nothing else is left in it), removes its line from the
 * jobs index, and removes its queue from the config's `queues` when
 *
 * - `jobs-kit.json` records that `g job` added that queue for it (`addedQueues`), and
 * - no other file in the jobs folder mentions the queue, and the config
 *   mentions it nowhere else (a worker entry, say).
 *
 * So `g job X --queue email` then `d job X` gives back every file byte for
 * byte, while a queue the user added by hand, or that another job uses, stays.
 * Other files the user put in the job's folder stay too. When it throws, the
 * tree is as it was.
 *
 * It also removes the config's `recurring` entries naming the job (and the
 * array when `g job --cron` created it and it is left empty), and the
 * `RedwoodJob.config(...)` `g job --class` added once no class job is left.
 * croner stays in package.json.
 *
 * @throws {JobNotFoundError} when the job has neither a folder nor a line in the jobs index.
 */
export async function destroyJob(tree: Tree, options: DestroyJobOptions): Promise<JobGeneratorResult> {
  const jobName = normalizeJobName(options.name)
  const record = readJobsKitJson(tree)
  const settings = jobSettingsOf(record)
  const folder = posix.join(settings.jobs, jobName)
  // Everything is worked out first and staged last, so a refusal leaves the tree as it was.
  const deletes = generatedFileNames(jobName).map((fileName) => `${folder}/${fileName}`).filter((path) => tree.read(path) !== null)
  const addedQueue = record.addedQueues?.[jobName] ?? null
  const indexText = readRequired(tree, settings.jobsIndex, 'the jobs index')
  const newIndex = await removeJobFromIndex(settings.jobsIndex, indexText, { jobName, commonJs: isCommonJsIndex(settings) })
  if (deletes.length === 0 && newIndex === indexText) throw new JobNotFoundError(jobName, folder)

  const configText = tree.read(settings.config)
  let newConfig = configText
  if (
    addedQueue !== null &&
    configText !== null &&
    addedQueue.config === settings.config &&
    !isQueueUsedElsewhere(tree, settings.jobs, configText, addedQueue.queue, new Set(deletes))
  ) {
    newConfig = await removeQueue(settings.config, configText, addedQueue.queue)
  }

  const planned = [...deletes]
  for (const path of deletes) tree.delete(path)
  if (newIndex !== indexText) {
    tree.write(settings.jobsIndex, newIndex)
    planned.push(settings.jobsIndex)
  }
  if (newConfig !== null) {
    // The job's `recurring` entries would name a job that is gone; the array goes too when g job created it and it is left empty.
    const addedRecurring = record.addedRecurring?.[jobName]
    newConfig = await removeRecurring(settings.config, newConfig, jobName, addedRecurring?.createdArray === true)
    if (record.addedClassJobConfig === settings.config && !isClassJobLeft(tree, settings.jobs, new Set(deletes))) {
      newConfig = await removeClassJobConfig(settings.config, newConfig)
    }
  }
  if (newConfig !== null && newConfig !== configText) {
    tree.write(settings.config, newConfig)
    planned.push(settings.config)
  }
  const recorded = recordGeneratedChanges(tree, record, jobName, {
    queue: null,
    recurring: null,
    classJobConfig: record.addedClassJobConfig !== undefined && newConfig !== null && hasClassJobConfig(newConfig) ? record.addedClassJobConfig : undefined,
    recurringArrayTo: await recurringArrayHeir(record, jobName, settings.config, newConfig),
  })
  if (recorded) planned.push(recorded)
  return { jobName, files: planned.sort() }
}

/**
 * When `jobName`'s `g job` created the `recurring` array and the array stays
 * (other entries are left), another job `g job` added an entry for: it takes
 * over `createdArray`.
 */
async function recurringArrayHeir(record: JobsKitJson, jobName: string, config: string, configText: string | null): Promise<string | undefined> {
  if (record.addedRecurring?.[jobName]?.createdArray !== true || configText === null) return undefined
  const left = new Set(await readRecurringJobs(config, configText))
  return Object.entries(record.addedRecurring).find(([job, added]) => job !== jobName && added.config === config && left.has(job))?.[0]
}

/** True when a file in the jobs folder that stays (not in `deleted`) declares a class job (`extends RedwoodJob`). */
function isClassJobLeft(tree: Tree, jobsFolder: string, deleted: Set<string>): boolean {
  const declares = (path: string): boolean => {
    if (deleted.has(path)) return false
    const content = tree.read(path)
    if (content !== null) return /\bextends\s+RedwoodJob\b/.test(content)
    return tree.children(path).some((name) => declares(`${path}/${name}`))
  }
  return tree.children(jobsFolder).some((name) => declares(`${jobsFolder}/${name}`))
}

/**
 * True when a file in the jobs folder that stays (not in `deleted`) quotes the
 * queue, or the config quotes it more than once (its `queues` entry plus, say,
 * a worker's `queue`).
 */
function isQueueUsedElsewhere(tree: Tree, jobsFolder: string, config: string, queue: string, deleted: Set<string>): boolean {
  const quoted = new RegExp(`(['"\`])${queue.replace(/[.]/g, '\\.')}\\1`, 'g')
  if ((config.match(quoted) ?? []).length > 1) return true
  const mentions = (path: string): boolean => {
    if (deleted.has(path)) return false
    const content = tree.read(path)
    if (content !== null) return new RegExp(quoted.source).test(content)
    return tree.children(path).some((name) => mentions(`${path}/${name}`))
  }
  return tree.children(jobsFolder).some((name) => mentions(`${jobsFolder}/${name}`))
}
