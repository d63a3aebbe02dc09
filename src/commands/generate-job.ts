import { resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import type { GlobalOptions } from './global-options.js'
import { languageFromFlags, withLanguageFlags, type LanguageFlags } from './language-flags.js'

interface GenerateJobArgs extends GlobalOptions, LanguageFlags {
  name: string
  queue?: string
  priority?: number
  class?: boolean
  cron?: string
  timezone?: string
}

/** `jobs-kit generate job <name>`: light definitions; ts-morph and handlebars load in the handler. */
const jobCommand: CommandModule<GlobalOptions, GenerateJobArgs> = {
  command: 'job <name>',
  describe: 'A typed job with its test and scenarios, registered in the jobs index',
  builder: (yargs) =>
    withLanguageFlags(yargs as Argv<GlobalOptions>, 'the job')
      .positional('name', { type: 'string', demandOption: true, describe: 'SendWelcomeEmail, send-welcome-email or SendWelcomeEmailJob' })
      .option('queue', { type: 'string', describe: 'The job\'s queue (added to the config when new; default: default)' })
      .option('priority', { type: 'number', describe: 'Lower runs first (default 50)' })
      .option('class', { type: 'boolean', describe: 'A class-style job (class XJob extends RedwoodJob), as in the Redwood docs' })
      .option('cron', { type: 'string', describe: 'A recurring job: its cron schedule (5 fields, or 6 with seconds), added to the config\'s recurring list' })
      .option('timezone', { type: 'string', describe: 'The IANA time zone of --cron (default UTC)' })
      .example('$0 g job SendWelcomeEmail --queue email', '')
      .example('$0 g job SendWelcomeEmail --class', '')
      .example('$0 g job NightlyReport --cron "0 3 * * *" --timezone Europe/Berlin', '') as Argv<GenerateJobArgs>,
  handler: async (args) => {
    const { createStagedTree } = await import('../tree/staged-tree.js')
    const { generateJob } = await import('../generators/job/index.js')
    const { applyTree } = await import('./apply-tree.js')
    let nextSteps: string[] = []
    const plan = async (force: boolean) => {
      const tree = createStagedTree({ root: resolve(args.cwd) })
      const result = await generateJob(tree, {
        name: args.name,
        queue: args.queue,
        priority: args.priority,
        language: languageFromFlags(args),
        force,
        classStyle: args.class,
        cron: args.cron,
        timezone: args.timezone,
      })
      nextSteps = result.nextSteps ?? []
      return tree
    }
    const outcome = await applyTree(await plan(args.force), args, () => plan(true))
    if (outcome === 'unchanged') console.log(`That job already exists as generated: nothing to change.`)
    if (outcome !== 'dry-run' && nextSteps.length > 0) console.log(`\nNext:\n${nextSteps.map((step) => `  ${step}`).join('\n')}`)
  },
}

/** `jobs-kit generate <generator>` (alias `g`). Further generators register here the same way. */
export const generateCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'generate',
  aliases: ['g'],
  describe: 'Generate code: jobs-kit g job <Name>',
  builder: (yargs) => yargs.command(jobCommand).demandCommand(1, 'Say what to generate: jobs-kit g job <Name>'),
  handler: () => {},
}
