/** Model names `setup` suggests when `BackgroundJob` is taken, in order. */
export const MODEL_NAME_SUGGESTIONS = ['JobsKitJob', 'QueuedJob']

/** Table names `setup` suggests when the jobs table's name is taken, in order. */
export const TABLE_NAME_SUGGESTIONS = ['background_jobs', 'jobs_kit_jobs']

/**
 * The first of `candidates` that `isTaken` does not refuse, else the first
 * with a number appended. Used for the names an error message advises, so
 * that following the advice works.
 */
export function freeName(candidates: readonly string[], isTaken: (name: string) => boolean): string {
  const free = candidates.find((name) => !isTaken(name))
  if (free) return free
  for (let n = 2; ; n++) {
    const numbered = `${candidates[0]}_${n}`
    if (!isTaken(numbered)) return numbered
  }
}
