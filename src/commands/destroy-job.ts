import { resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import type { GlobalOptions } from './global-options.js'

interface DestroyJobArgs extends GlobalOptions {
  name: string
}

/** `jobs-kit destroy job <name>`: the exact inverse of `generate job`. */
const jobCommand: CommandModule<GlobalOptions, DestroyJobArgs> = {
  command: 'job <name>',
  describe: 'Remove a generated job: its files, its registry line, and a queue only it used',
  builder: (yargs) =>
    (yargs as Argv<GlobalOptions>)
      .positional('name', { type: 'string', demandOption: true, describe: 'The job, in any form g job accepts' }) as Argv<DestroyJobArgs>,
  handler: async (args) => {
    const { createStagedTree } = await import('../tree/staged-tree.js')
    const { destroyJob } = await import('../generators/job/index.js')
    const { applyTree } = await import('./apply-tree.js')
    const tree = createStagedTree({ root: resolve(args.cwd) })
    await destroyJob(tree, { name: args.name })
    const outcome = await applyTree(tree, args)
    if (outcome === 'unchanged') console.log('Nothing to remove.')
  },
}

/** `jobs-kit destroy <generator>` (alias `d`). */
export const destroyCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'destroy',
  aliases: ['d'],
  describe: 'Remove generated code: jobs-kit d job <Name>',
  builder: (yargs) => yargs.command(jobCommand).demandCommand(1, 'Say what to destroy: jobs-kit d job <Name>'),
  handler: () => {},
}
