import { resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import type { GlobalOptions } from './global-options.js'

interface DiffArgs extends GlobalOptions {
  file?: string
}

/** `jobs-kit diff [file]`: each vendored file's state, the app's edits and the installed jobs-kit's changes (docs/update.md). */
export const diffCommand: CommandModule<GlobalOptions, DiffArgs> = {
  command: 'diff [file]',
  describe: 'Compare the vendored runtime with what jobs-kit vendored and with the installed jobs-kit',
  builder: (yargs) =>
    (yargs as Argv<GlobalOptions>)
      .positional('file', { type: 'string', describe: 'One vendored file: its path from the app root, or inside the runtime folder (worker/worker.ts)' })
      .example('$0 diff', 'Every vendored file\'s state, then the diffs')
      .example('$0 diff worker/worker.ts', 'One file') as Argv<DiffArgs>,
  handler: async (args) => {
    const { runDiff } = await import('../update/run-diff.js')
    const { output } = await runDiff({ root: resolve(args.cwd), file: args.file })
    console.log(output)
  },
}
