import { JOBS_KIT_JSON_PATH, writeJobsKitJson, type AddedQueue, type JobsKitJson } from '../../app-record/jobs-kit-json.js'
import type { Tree } from '../../tree/tree.js'

/**
 * Records in `jobs-kit.json` (`addedQueues`) that `g job` added `added.queue`
 * to the config for `jobName`, or with null that it added none; `d job`
 * reads the record to know whether the queue is its to take out again.
 * Stages the file only when the record changes, and returns its path then.
 */
export function recordAddedQueue(tree: Tree, json: JobsKitJson, jobName: string, added: AddedQueue | null): string | null {
  const current = json.addedQueues?.[jobName]
  if (current?.queue === added?.queue && current?.config === added?.config) return null
  const { [jobName]: _replaced, ...others } = json.addedQueues ?? {}
  writeJobsKitJson(tree, { ...json, addedQueues: added ? { ...others, [jobName]: added } : others })
  return JOBS_KIT_JSON_PATH
}
