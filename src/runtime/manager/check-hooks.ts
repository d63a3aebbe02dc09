import { InvalidConfigError } from '../errors.js'

/** The four lifecycle hooks, in the seed's names. */
export const HOOK_NAMES = ['beforePerform', 'afterPerform', 'afterSuccess', 'afterFailure'] as const

/**
 * Checks that every lifecycle hook given on `owner` (a job definition or the
 * config's `hooks`) is a function, so a typo'd value fails where it is
 * written, not in a worker.
 */
export function checkHooks(owner: object, where: string): void {
  for (const name of HOOK_NAMES) {
    const hook = (owner as Record<string, unknown>)[name]
    if (hook !== undefined && typeof hook !== 'function') {
      throw new InvalidConfigError(
        `${where}: \`${name}\` must be a function (got ${hook === null ? 'null' : typeof hook}), ` +
          `e.g. ${name}: async function (${name === 'afterFailure' ? 'failure, ' : ''}...args) { … }.`,
      )
    }
  }
}
