import { importOptionalPeer } from '../import-optional-peer.js'

/**
 * Cron expressions in words ("At 02:30", "Every 2 seconds") for the
 * dashboard's Schedules page, through cronstrue
 * (https://github.com/bradymholt/cRonstrue): a maintained, dependency-free
 * library, and an optional peer. The runtime never needs it to run jobs, so
 * it is loaded on first use, and when it is not installed (or cannot read an
 * expression) the page shows the expression as written.
 */
type CronToWords = (expression: string, options: { use24HourTimeFormat: boolean; throwExceptionOnParseError: boolean }) => string

let loading: Promise<CronToWords | undefined> | undefined

/** A function giving an expression in words, or undefined when cronstrue is missing or the expression defeats it. */
export async function loadCronDescriber(): Promise<(expression: string) => string | undefined> {
  loading ??= (async () => {
    try {
      const module = (await importOptionalPeer('cronstrue', 'npm install cronstrue')) as { default?: Record<string, unknown> }
      const toWords = module.default && Object.hasOwn(module.default, 'toString') ? module.default.toString : undefined
      return typeof toWords === 'function' ? (toWords as CronToWords) : undefined
    } catch {
      return undefined
    }
  })()
  const toWords = await loading
  return (expression) => {
    if (!toWords) return undefined
    try {
      return toWords(expression, { use24HourTimeFormat: true, throwExceptionOnParseError: true })
    } catch {
      return undefined
    }
  }
}
