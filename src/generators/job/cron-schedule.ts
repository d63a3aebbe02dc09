import { InvalidJobOptionError } from './errors.js'

/** A cron schedule `g job --cron` checked: what goes into the config's `recurring` entry. */
export interface CronSchedule {
  cron: string
  /** IANA time zone; undefined for the runtime's default (UTC). */
  timezone?: string
}

/**
 * Checks `--cron` and `--timezone` with croner, the parser the recurring-jobs
 * runtime uses, in the runtime's mode (`5-or-6-parts`), so an entry `g job`
 * writes is one the worker accepts: 5 fields, or 6 with seconds first, or a
 * croner nickname (`@daily`); a 7th (year) field is refused. Like the worker,
 * it refuses an expression that matches no date (`0 0 31 2 *`) and an empty zone.
 *
 * croner is loaded here, on first use: `g job` without `--cron` does not pay for it.
 *
 * @throws {InvalidJobOptionError} naming the option that is wrong and showing a valid example.
 */
export async function checkCronSchedule(cron: string, timezone: string | undefined): Promise<CronSchedule> {
  // The CLI passes an array when a flag is given twice (`--cron a --cron b`).
  if (typeof cron !== 'string') throw new InvalidJobOptionError('cron', cron, 'it was given more than once; give one schedule', '"0 3 * * *" (every day at 03:00)')
  if (timezone !== undefined && typeof timezone !== 'string') {
    throw new InvalidJobOptionError('timezone', timezone, 'it was given more than once; give one time zone', 'Europe/Berlin (or America/New_York, UTC)')
  }
  const { Cron } = await import('croner')
  const expression = cron.trim().replace(/\s+/g, ' ')
  if (timezone !== undefined) {
    try {
      // croner reads an empty zone as the machine's local time; the worker refuses it.
      if (timezone.trim() === '') throw new Error('empty time zone')
      new Cron('* * * * *', { timezone, paused: true }).nextRun()
    } catch {
      throw new InvalidJobOptionError('timezone', timezone, 'it is not an IANA time zone name', 'Europe/Berlin (or America/New_York, UTC)')
    }
  }
  const fields = expression.split(' ').length
  if (!expression.startsWith('@') && fields !== 5 && fields !== 6) {
    throw new InvalidJobOptionError('cron', cron, `a cron expression has 5 fields (minute hour day month weekday), or 6 with seconds first; this one has ${fields}`, '"0 3 * * *" (every day at 03:00)')
  }
  if (/['"`\\$]/.test(expression)) {
    throw new InvalidJobOptionError('cron', cron, 'it contains quotes, backslashes or "$"', '"*/5 * * * *" (every five minutes)')
  }
  let next: Date | null
  try {
    next = new Cron(expression, { timezone, paused: true, mode: '5-or-6-parts' }).nextRun()
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern: /, '')
    throw new InvalidJobOptionError('cron', cron, reason, '"0 3 * * *" (every day at 03:00)')
  }
  if (next === null) {
    throw new InvalidJobOptionError('cron', cron, 'it matches no date, so it would never fire (February has no 30th or 31st)', '"0 3 * * *" (every day at 03:00)')
  }
  return timezone === undefined ? { cron: expression } : { cron: expression, timezone }
}
