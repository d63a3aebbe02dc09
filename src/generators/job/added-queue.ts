import { JOBS_KIT_JSON_PATH, writeJobsKitJson, type AddedQueue, type AddedRecurring, type JobsKitJson } from '../../app-record/jobs-kit-json.js'
import type { Tree } from '../../tree/tree.js'

/** What `g job` added to the config for one job, as `jobs-kit.json` records it. */
export interface GeneratedChanges {
  /** The queue it added (`addedQueues`), or null. */
  queue: AddedQueue | null
  /** The `recurring` entry it added (`addedRecurring`), or null. */
  recurring: AddedRecurring | null
  /** The config it added `RedwoodJob.config(...)` to, for every class job (`addedClassJobConfig`); undefined for none. */
  classJobConfig: string | undefined
  /**
   * `d job` of the job whose `g job` created the `recurring` array while
   * other jobs' entries remain: the job that now owns the array (its record
   * gets `createdArray`), so the last entry out still takes the array along.
   */
  recurringArrayTo?: string
}

/**
 * Records in `jobs-kit.json` what `g job` added to the config for `jobName`
 * (a queue, a `recurring` entry) and whether it added `RedwoodJob.config`;
 * `d job` reads the record to know what is its to take out again. Null and
 * undefined remove a record. Stages the file only when the record changes,
 * and returns its path then.
 */
export function recordGeneratedChanges(tree: Tree, json: JobsKitJson, jobName: string, changes: GeneratedChanges): string | null {
  const next: JobsKitJson = {
    ...json,
    addedQueues: withEntry(json.addedQueues, jobName, changes.queue),
    addedRecurring: passArray(withEntry(json.addedRecurring, jobName, changes.recurring), changes.recurringArrayTo),
    addedClassJobConfig: changes.classJobConfig,
  }
  // Fields the record did not have and still does not need stay out of the file.
  if (json.addedQueues === undefined && Object.keys(next.addedQueues ?? {}).length === 0) delete next.addedQueues
  // `d job` of the last recurring job leaves no empty `addedRecurring` behind (a record without one reads the same).
  if (Object.keys(next.addedRecurring ?? {}).length === 0) delete next.addedRecurring
  if (next.addedClassJobConfig === undefined) delete next.addedClassJobConfig
  if (JSON.stringify(next) === JSON.stringify(json)) return null
  writeJobsKitJson(tree, next)
  return JOBS_KIT_JSON_PATH
}

function withEntry<T>(records: Record<string, T> | undefined, jobName: string, value: T | null): Record<string, T> {
  const { [jobName]: _replaced, ...others } = records ?? {}
  return value ? { ...others, [jobName]: value } : others
}

function passArray(records: Record<string, AddedRecurring>, to: string | undefined): Record<string, AddedRecurring> {
  const record = to === undefined ? undefined : records[to]
  return record && to !== undefined ? { ...records, [to]: { ...record, createdArray: true } } : records
}
