import { resolve } from 'node:path'
import type { Argv, CommandModule } from 'yargs'
import { UsageError } from './errors.js'
import { isInteractive, type GlobalOptions } from './global-options.js'
import { languageFromFlags, withLanguageFlags, type LanguageFlags } from './language-flags.js'

interface SetupArgs extends GlobalOptions, LanguageFlags {
  what?: string
  schema?: string
  db?: string
  migration: boolean
  /** `--force-migration` (yargs gives the camel-case form too). */
  forceMigration?: boolean
  model?: string
  table?: string
  dbSchema?: string
  /** `--sqlite-wal` / `--no-sqlite-wal`; undefined: ask on a terminal, else yes. */
  sqliteWal?: boolean
  /** `setup pm2|systemd -n <set>`: the worker set instead of the configured one. */
  n?: string
}

/**
 * `jobs-kit setup [jobs]`. This module stays light (yargs definitions only);
 * the handler imports detection, templates, the Prisma wasm and the
 * vendoring code when it runs, so `--help` never loads them.
 */
export const setupCommand: CommandModule<GlobalOptions, SetupArgs> = {
  command: 'setup [what]',
  describe: 'Add background jobs to this app: the BackgroundJob model, lib/jobs, the vendored runtime, a jobs script ' +
    '(setup pm2 / setup systemd: process-manager files for its workers)',
  builder: (yargs) =>
    withLanguageFlags(yargs as Argv<GlobalOptions>, 'the config and the runtime')
      .positional('what', {
        type: 'string',
        choices: ['jobs', 'pm2', 'systemd'],
        describe: 'jobs (the default): background jobs. pm2: ecosystem.config.cjs for the workers. systemd: the unit jobs-kit-worker@.service',
      })
      .option('n', { type: 'string', describe: 'pm2/systemd: these workers instead of the configured ones (4 | email:2 | default:2,email:4), as `npm run jobs -- start -n`' })
      .option('schema', { type: 'string', describe: 'The Prisma schema file or folder (default: found the way Prisma finds it)' })
      .option('db', { type: 'string', describe: 'The module that exports your PrismaClient, with the export after "#": src/lib/prisma.ts#prisma' })
      .option('migration', { type: 'boolean', default: false, describe: 'Also write the migration SQL for the jobs table (instead of running prisma migrate dev)' })
      .option('force-migration', { type: 'boolean', default: false, describe: 'Write the migration even in an app that uses prisma db push (no migrations folder yet)' })
      .option('model', { type: 'string', describe: 'Name of the jobs model, when your schema already uses BackgroundJob (default: BackgroundJob)' })
      .option('table', { type: 'string', describe: 'Name of the jobs table (@@map), when the model\'s own name is taken as a table' })
      .option('sqlite-wal', { type: 'boolean', describe: 'SQLite: have workers switch the database to WAL journal mode (sqliteWal in the config). Default: asked on a terminal, else yes; --no-sqlite-wal to leave the journal mode alone' })
      .option('db-schema', { type: 'string', describe: 'Database schema of the jobs table, for a PostgreSQL datasource with schemas = [...] (default: "public" if listed, else the first)' })
      .example('$0 setup', 'detect everything, ask before writing')
      .example('$0 setup --migration --yes', 'non-interactive, with the migration file')
      .example('$0 setup --dry-run', 'show every file it would write, with diffs')
      .example('$0 setup pm2', 'ecosystem.config.cjs with one pm2 app per configured worker')
      .example('$0 setup systemd -n default:2,email:1', 'the systemd unit, and how to enable these workers') as Argv<SetupArgs>,
  handler: async (args) => {
    if (args.what === 'pm2' || args.what === 'systemd') {
      const { setupProcessManager } = await import('./setup-process-manager.js')
      return setupProcessManager(args.what, args)
    }
    if (args.n !== undefined) throw new UsageError('-n is for `setup pm2` and `setup systemd` (the workers to run), not for setting up jobs.')
    const root = resolve(args.cwd)
    const { createStagedTree } = await import('../tree/staged-tree.js')
    const { planSetup } = await import('../generators/setup/index.js')
    const { applyTree } = await import('./apply-tree.js')
    const { describePrismaClient, promptForPrismaClient, promptForSqliteWal } = await import('./choose-prisma-client.js')
    const chooseDb = isInteractive(args) ? promptForPrismaClient() : undefined
    const chooseSqliteWal = isInteractive(args) ? promptForSqliteWal() : undefined
    const plan = async (force: boolean) => {
      const tree = createStagedTree({ root })
      const result = await planSetup(tree, {
        schema: args.schema,
        db: args.db,
        language: languageFromFlags(args),
        migration: args.migration,
        forceMigration: args.forceMigration,
        chooseDb,
        sqliteWal: args.sqliteWal,
        chooseSqliteWal,
        model: args.model,
        table: args.table,
        dbSchema: args.dbSchema,
        force,
      })
      return { tree, result }
    }

    const { tree, result } = await plan(args.force)
    const { project } = result
    console.log(
      `Detected ${project.language === 'ts' ? 'TypeScript' : 'JavaScript'} (${project.moduleType === 'esm' ? 'ESM' : 'CommonJS'}), ` +
        `source root ${project.srcRoot}${project.redwood ? ' (RedwoodJS)' : ''}, ${project.packageManager}, ` +
        `${project.schema.provider} schema ${project.schema.path}, ` +
        `Prisma client: ${describePrismaClient(project)}\n`,
    )
    const outcome = await applyTree(
      tree,
      {
        ...args,
        confirm: `Write these ${tree.changes().length} changes?`,
        ...result.listing,
        conflictAdvice: result.alreadySetUp
          ? 'jobs-kit is already set up here. To bring in this version\'s runtime and keep your edits, run `jobs-kit update` (see `jobs-kit diff`); --force overwrites the files listed with this version.'
          : undefined,
      },
      async () => (await plan(true)).tree,
    )
    const formatNotes = (notes: string[]) => (notes.length > 0 ? `\nNote:\n${notes.map((note) => `  ${note}`).join('\n')}` : '')
    if (outcome === 'unchanged') {
      console.log('jobs-kit is already set up in this app: nothing to change.')
      // The schema's own notes still hold: a second run is how a team that upgraded jobs-kit meets them.
      const schemaNotes = formatNotes(result.schemaNotes)
      if (schemaNotes) console.log(schemaNotes)
      return
    }
    const notes = formatNotes(result.notes)
    if (outcome === 'dry-run') {
      if (notes) console.log(notes)
      return
    }
    console.log(`\nDone. Next:\n${result.nextSteps.map((step) => `  ${step}`).join('\n')}`)
    if (notes) console.log(notes)
  },
}
