import { listSchedules, pauseSchedule, resumeSchedule, runScheduleNow } from '../../recurring/manage-schedules.js'
import { createRecurringScheduler } from '../../recurring/start-recurring.js'
import { formatTable } from '../format-table.js'
import type { RunnerJobManager } from '../job-manager-shape.js'
import type { ScheduleAction } from '../parse-args.js'
import { UnknownScheduleError } from '../../recurring/errors.js'
import { formatInZone } from '../../recurring/format-in-zone.js'

/**
 * The recurring section of `status`: each schedule with its next three runs
 * in its own time zone and its last run; undefined when the config has no
 * `recurring` entries.
 */
export async function getSchedulesReport(jobs: RunnerJobManager, now = new Date()): Promise<string | undefined> {
  const scheduler = await createRecurringScheduler(jobs, { logger: jobs.logger })
  if (!scheduler) return undefined
  const rows = (await listSchedules(scheduler, now)).map((status) => [
    status.name,
    status.removed ? '(removed from the config)' : `${status.cron} ${status.timezone}`,
    status.removed ? 'deleted at the next worker start' : status.row?.pausedAt ? 'paused' : status.nextRuns.map((slot) => formatInZone(slot, status.timezone)).join(', '),
    status.row?.lastRunSlotAt ? `${formatInZone(status.row.lastRunSlotAt, status.timezone)}${status.row.lastJobId === null ? '' : ` (job ${status.row.lastJobId})`}` : 'never',
    status.missed,
  ])
  return `Recurring jobs:\n${formatTable(['schedule', 'cron', 'next runs', 'last run', 'missed'], rows)}`
}

/** `schedules pause|resume|run <name>`; returns the line to print. */
export async function runSchedulesCommand(jobs: RunnerJobManager, { action, name }: ScheduleAction, now = new Date()): Promise<string> {
  const scheduler = await createRecurringScheduler(jobs, { logger: jobs.logger })
  if (!scheduler) throw new UnknownScheduleError(name, [])
  if (action === 'pause') {
    await pauseSchedule(scheduler, name, now)
    return `Paused "${name}": no run is enqueued until \`schedules resume ${name}\`.`
  }
  if (action === 'resume') {
    if (!(await resumeSchedule(scheduler, name, now))) return `"${name}" is not paused; nothing changed.`
    return `Resumed "${name}" from its next slot (slots that passed while it was paused are not run).`
  }
  const id = await runScheduleNow(scheduler, name, now)
  return `Enqueued one run of "${name}" now (job ${id}).`
}
