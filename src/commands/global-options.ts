import type { Argv } from 'yargs'

/** Options every command takes. */
export interface GlobalOptions {
  /** The app's root folder. */
  cwd: string
  /** Print what would change, with diffs; write nothing. */
  dryRun: boolean
  /** With --dry-run: diff every file, the vendored runtime and its base copies included. */
  fullDiff?: boolean
  /** Overwrite files that differ from what jobs-kit would write. */
  force: boolean
  /** Never prompt: take every choice from flags and detection. */
  yes: boolean
}

/** Registers the global options on the root parser. */
export function withGlobalOptions<T>(yargs: Argv<T>): Argv<T & GlobalOptions> {
  return yargs
    .option('cwd', { type: 'string', default: process.cwd(), defaultDescription: 'the current folder', describe: 'The app\'s root folder', global: true })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Show every create, update, delete, skip and conflict with a diff; write nothing', global: true })
    .option('full-diff', { type: 'boolean', default: false, describe: 'With --dry-run, also diff the vendored runtime and its .jobs-kit/base copies (summarised otherwise)', global: true })
    .option('force', { type: 'boolean', default: false, describe: 'Overwrite files that differ from what jobs-kit would write', global: true })
    .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Never prompt (CI, scripts); choices come from flags and detection', global: true }) as unknown as Argv<T & GlobalOptions>
}

/** Prompts only for a person at a terminal who did not pass --yes. */
export function isInteractive(options: Pick<GlobalOptions, 'yes'>): boolean {
  return !options.yes && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY)
}
