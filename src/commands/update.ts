import { resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import type { GlobalOptions } from './global-options.js'

interface UpdateArgs extends GlobalOptions {
  restore: boolean
}

/**
 * `jobs-kit update`: three-way merges the vendored runtime with the installed
 * jobs-kit, keeping the app's edits (docs/update.md). Exits 1 through
 * `UnresolvedConflictsError` while any vendored file holds conflict markers.
 */
export const updateCommand: CommandModule<GlobalOptions, UpdateArgs> = {
  command: 'update',
  describe: 'Bring the vendored runtime up to the installed jobs-kit, keeping your edits (three-way merge)',
  builder: (yargs) =>
    (yargs as Argv<GlobalOptions>)
      .option('restore', { type: 'boolean', default: false, describe: 'Bring back vendored files you deleted' })
      .example('$0 update --dry-run', 'Show what would change, with diffs; write nothing')
      .example('$0 update', 'Merge; conflicts are written with <<<<<<< markers and listed')
      .example('$0 update --force', 'Take the installed version of every vendored file, dropping your edits') as Argv<UpdateArgs>,
  handler: async (args) => {
    const { runUpdate } = await import('../update/run-update.js')
    const { UnresolvedConflictsError } = await import('../update/errors.js')
    const result = await runUpdate({
      root: resolve(args.cwd),
      dryRun: args.dryRun,
      restore: args.restore,
      force: args.force,
    })
    console.log(result.output)
    if (result.report.conflicts.length > 0) throw new UnresolvedConflictsError(result.report.conflicts)
  },
}
