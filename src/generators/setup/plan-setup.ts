import { posix } from 'node:path'
import type { Tree } from '../../tree/tree.js'
import { writeOrConflict } from '../../tree/write-or-conflict.js'
import { detectProject, type ProjectInfo } from '../../project/detect-project.js'
import type { PrismaClientModule } from '../../project/find-prisma-client.js'
import { runScriptCommand } from '../../project/detect-package-manager.js'
import type { Language } from '../../project/detect-language.js'
import { BASE_STORE_DIR } from '../../app-record/base-store.js'
import { ForceMigrationWithoutMigrationError, MigrationWithDbPushError } from './errors.js'
import { formatJobsKitJson, JOBS_KIT_JSON_PATH, readJobsKitJson, type JobsKitJson, type JobsKitPaths } from '../../app-record/jobs-kit-json.js'
import { ScaffolderError } from '../../scaffolder-error.js'
import { importHint } from './import-hint.js'
import { moduleSpecifier } from './module-specifier.js'
import { readJobsKitPackage } from '../../package-assets/package-files.js'
import { renderTemplate } from '../../package-assets/render-template.js'
import { updateGitignore } from './update-gitignore.js'
import { updatePackageJson } from './update-package-json.js'
import { vendorRuntime } from './vendor-runtime.js'
import { WORKER_SETTING_DEFAULTS } from '../../runtime/worker-settings.js'
import { canImportPackage, detectDatabaseUrls } from '../../project/detect-database-url.js'
import { hasDependency, type PackageJson } from '../../project/read-package-json.js'
import type { PackageManager } from '../../project/detect-package-manager.js'
import { planFastPickup, type FastPickup } from './fast-pickup.js'

/** Options of `planSetup`, from the command line. */
export interface SetupOptions {
  /** `--schema <file or folder>`. */
  schema?: string
  /** `--db <file>[#export]`: the module exporting the Prisma client. */
  db?: string
  /** `--ts` / `--js`. */
  language?: Language
  /** `--migration`: also write the migration SQL. */
  migration?: boolean
  /** `--force-migration`: write it even in an app that uses `prisma db push`. */
  forceMigration?: boolean
  /** `--model <Name>`: the jobs model's name, when `BackgroundJob` is taken. */
  model?: string
  /** `--table <name>`: the jobs table's name (`@@map`), when the model's own is taken. */
  table?: string
  /** `--db-schema <name>`: the database schema of the jobs table, on a datasource that lists `schemas`. */
  dbSchema?: string
  /** `--force`: overwrite files that differ instead of recording conflicts. */
  force?: boolean
  /** `--sqlite-wal` / `--no-sqlite-wal`: SQLite apps' config switches the database to WAL (`sqliteWal`). Asked through `chooseSqliteWal` when left out, else true. */
  sqliteWal?: boolean
  /** Asks whether to use WAL (a prompt on a terminal), for SQLite apps when `sqliteWal` was not given. */
  chooseSqliteWal?: () => Promise<boolean>
  /** Picks the client module when detection found several (a prompt on a terminal); the first otherwise. */
  chooseDb?: (candidates: PrismaClientModule[]) => Promise<PrismaClientModule>
  /** The migration's timestamp (tests). */
  now?: Date
  /** The runtime to vendor, `relative path → source` (tests); the installed package's by default. */
  runtimeSources?: Map<string, string>
  /** The version recorded in jobs-kit.json (tests); this package's by default. */
  version?: string
}

/** What `planSetup` found and planned. */
export interface SetupPlan {
  project: ProjectInfo
  modelName: string
  /** The migration file written, when `migration` was asked for and one was needed. */
  migrationPath: string | null
  jobsKitJson: JobsKitJson
  /** Commands and code to show the user once the tree is committed. */
  nextSteps: string[]
  /** Things the user should know about the config (a pooled URL that cannot LISTEN, …), printed with the next steps. */
  notes: string[]
  /**
   * The notes about the app's schema as it is (an earlier jobs-kit's indexes), true whatever this
   * run writes: printed also when setup has nothing to change. Each is in `notes` too.
   */
  schemaNotes: string[]
  /** True when the app had a jobs-kit.json before this run. */
  alreadySetUp: boolean
  /** How to list the changes: what a reviewer reads first, and the folders to summarise in one line each. */
  listing: { first: string[]; collapse: string[] }
}

/**
 * Plans `jobs-kit setup` on the tree as one change: the jobs model in the
 * Prisma schema (and its migration with `migration`), the jobs config, an
 * empty jobs registry, the vendored runtime, jobs-kit.json, the `jobs`
 * script (and tsx for TS apps) in package.json, and the runner's folders in
 * .gitignore. Nothing is written; the caller prints or commits the tree.
 *
 * Running it on an app that is set up plans no change. A generated file that
 * exists with other content is a conflict on the tree unless `force`.
 */
export async function planSetup(tree: Tree, options: SetupOptions = {}): Promise<SetupPlan> {
  const detected = await detectProject(tree, { schema: options.schema, db: options.db, language: options.language })
  const project = detected.dbCandidates.length > 1 && options.chooseDb
    ? { ...detected, db: await options.chooseDb(detected.dbCandidates) }
    : detected
  const { language, moduleType, importStyle, srcRoot } = project
  const force = options.force ?? false
  if (options.forceMigration && !options.migration) {
    throw new ForceMigrationWithoutMigrationError()
  }
  if (options.migration && !options.forceMigration && project.schemaWorkflow.kind === 'db-push') {
    throw new MigrationWithDbPushError(project.schemaWorkflow.evidence)
  }
  const { version, tsxRange } = { ...readJobsKitPackage(), ...(options.version ? { version: options.version } : {}) }

  const schemaModule = await import('../../schema/index.js')
  const { modelName, jobsTable, indexes } = await schemaModule.addBackgroundJobModel(tree, project.schema, {
    modelName: options.model,
    tableName: options.table,
    dbSchema: options.dbSchema,
  })
  // Recurring jobs' schedules, beside the jobs model (added to apps set up before them too).
  await schemaModule.addScheduleModel(tree, project.schema, modelName)
  // The worker registry `status` and the dashboard read (added to apps set up before it too).
  await schemaModule.addWorkerModels(tree, project.schema, modelName)
  if (!options.migration) schemaModule.checkMigrationHistory(tree, { ...project.schema, modelName })
  const migration = options.migration
    ? await schemaModule.writeMigration(tree, { ...project.schema, modelName }, { now: options.now })
    : null
  const scheduleMigration = options.migration
    ? schemaModule.writeScheduleMigration(tree, project.schema, { now: options.now, jobsMigrationPath: migration?.path })
    : null
  const workerMigration = options.migration
    ? schemaModule.writeWorkerMigration(tree, project.schema, { now: options.now, jobsMigrationPath: migration?.path })
    : null

  const paths = {
    srcRoot,
    config: posix.join(srcRoot, 'lib', `jobs.${language}`),
    runtime: posix.join(srcRoot, 'lib', 'jobs-kit'),
    jobs: posix.join(srcRoot, 'jobs'),
    jobsIndex: posix.join(srcRoot, 'jobs', `index.${language}`),
    schema: project.schema.path,
    db: project.db.path,
  }
  const runCommand = runScriptCommand(project.packageManager, 'jobs', 'work')
  const provider = project.schema.provider
  const sqliteWal = provider !== 'sqlite' ? false : options.sqliteWal ?? (options.chooseSqliteWal ? await options.chooseSqliteWal() : true)
  const fastPickup = planFastPickup({
    provider,
    language,
    urls: provider === 'postgresql' || provider === 'mysql'
      ? detectDatabaseUrls(tree, {
          packageJson: project.packageJson,
          dbModulePath: project.db.path,
          datasourceFile: project.schema.datasourceFile,
          redwood: project.redwood,
          packageManager: project.packageManager,
        })
      : null,
    sqliteWal,
    hasBetterSqlite3:
      provider === 'sqlite' &&
      canImportPackage(tree, { packageJson: project.packageJson, redwood: project.redwood, packageManager: project.packageManager }, 'better-sqlite3', '@prisma/adapter-better-sqlite3') &&
      // An app on libsql (Turso) reaches its file through libsql's own SQLite: the option's better-sqlite3 connection would share no
      // locks with it, and the adapter refuses it at each worker start (sqlite-direct.ts, sharesLibrary). Do not write it.
      !usesLibsql(project.packageJson),
    installPg: installCommand(project.packageManager, project.redwood, 'pg'),
    installMariadb: installCommand(project.packageManager, project.redwood, 'mariadb'),
    configPath: paths.config,
  })
  const extension = importStyle === 'with-extension' ? '.js' : ''

  // Once setup has run (jobs-kit.json exists), the config is the app's: `g job` adds queues to it and
  // the team edits it, so a second setup leaves it alone. Before that, a different file at its path
  // (RedwoodJS's own lib/jobs.ts, say) is a conflict.
  const alreadySetUp = tree.exists(JOBS_KIT_JSON_PATH)
  if (!(alreadySetUp && tree.exists(paths.config))) {
    writeOrConflict(tree, paths.config, renderConfig(project, paths, modelName, runCommand, fastPickup), { force })
  }
  if (!tree.exists(paths.jobsIndex)) {
    tree.write(paths.jobsIndex, renderTemplate(`config/jobs-index.${language}.hbs`, { cjs: moduleType === 'cjs', extension }))
  }
  const files = vendorRuntime(tree, paths.runtime, {
    language, moduleType, importStyle, version, force, sources: options.runtimeSources,
  })

  const jobsKitJson: JobsKitJson = {
    version,
    language,
    moduleType,
    importExtension: extension,
    provider: project.schema.provider,
    model: jobsTable,
    paths,
    dbExport: project.db.exportName,
    importAlias: project.importAlias,
    addedQueues: alreadySetUp ? recordedAddedQueues(tree) : undefined,
    files,
  }
  writeOrConflict(tree, JOBS_KIT_JSON_PATH, formatJobsKitJson(jobsKitJson), { force })

  // TypeScript: tsx's loader inside node (`node --import tsx`), not the tsx
  // command. The tsx command relays a Ctrl-C to the worker and SIGKILLs it
  // when the worker does not answer within 30 ms, which a job that computes
  // (its event loop busy) cannot: one Ctrl-C killed the job mid-run. The
  // loader reads ./tsconfig.json for path aliases; an app whose tsconfig
  // lives elsewhere (RedwoodJS: api/) keeps the tsx command, whose
  // --tsconfig flag has no portable equivalent for the loader.
  const tsconfigElsewhere = project.tsconfig && project.tsconfig.path !== 'tsconfig.json' && project.tsconfig.path.endsWith('tsconfig.json')
  const runner = language === 'js'
    ? `node ${paths.runtime}/runner/cli.js --config ${paths.config}`
    : tsconfigElsewhere
      ? `tsx --tsconfig ${project.tsconfig!.path} ${paths.runtime}/runner/cli.ts --config ${paths.config}`
      : `node --import tsx ${paths.runtime}/runner/cli.ts --config ${paths.config}`
  updatePackageJson(tree, {
    scripts: { jobs: runner },
    devDependencies: language === 'ts' ? { tsx: tsxRange } : {},
    force,
  })
  updateGitignore(tree)

  return {
    project,
    modelName,
    migrationPath: migration?.path ?? null,
    jobsKitJson,
    nextSteps: nextSteps(project, paths, options.migration ? migration?.path ?? scheduleMigration?.path ?? workerMigration?.path ?? 'existing' : null, fastPickup),
    notes: indexes === 'previous' ? [...fastPickup.notes, previousIndexesNote(modelName, project)] : fastPickup.notes,
    schemaNotes: indexes === 'previous' ? [previousIndexesNote(modelName, project)] : [],
    alreadySetUp,
    listing: {
      first: [paths.schema, project.schema.migrationsPath, paths.config, paths.jobsIndex, 'package.json'],
      collapse: [paths.runtime, BASE_STORE_DIR],
    },
  }
}

/**
 * The queues `g job` recorded as added (`d job` still needs them after a second
 * setup); none when the record cannot be read, since setup is also how a
 * damaged jobs-kit.json gets rewritten.
 */
function recordedAddedQueues(tree: Tree): JobsKitJson['addedQueues'] {
  try {
    return readJobsKitJson(tree).addedQueues
  } catch (error) {
    if (error instanceof ScaffolderError) return undefined
    throw error
  }
}

/** `npm install pg`, `pnpm add pg`, …; Redwood: into the api side. */
function installCommand(pm: PackageManager, redwood: boolean, name: string): string {
  if (redwood) return pm === 'yarn' ? `yarn workspace api add ${name}` : `${pm} install ${name} --workspace api`
  return { npm: `npm install ${name}`, pnpm: `pnpm add ${name}`, yarn: `yarn add ${name}`, bun: `bun add ${name}` }[pm]
}

/** `new PrismaAdapter({ db })`, or over several lines with the fast-pickup options. */
function adapterExpression(modelName: string, fastPickup: FastPickup): string {
  const model = modelName === 'BackgroundJob' ? null : `model: '${modelName}'`
  if (fastPickup.adapterLines.length === 0) return `new PrismaAdapter({ db${model ? `, ${model}` : ''} })`
  const lines = ['db,', ...(model ? [`${model},`] : []), ...fastPickup.adapterLines]
  return `new PrismaAdapter({\n${lines.map((line) => `      ${line}`).join('\n')}\n    })`
}

function renderConfig(project: ProjectInfo, paths: Required<JobsKitPaths>, modelName: string, runCommand: string, fastPickup: FastPickup): string {
  const { language, moduleType, importStyle, db } = project
  const dbName = 'db'
  const dbImportClause = db.exportName === 'default' ? dbName : db.exportName === dbName ? `{ ${dbName} }` : `{ ${db.exportName} as ${dbName} }`
  const dbRequireClause = db.exportName === 'default' ? dbName : db.exportName === dbName ? `{ ${dbName} }` : `{ ${db.exportName}: ${dbName} }`
  return renderTemplate(`config/jobs.${language}.hbs`, {
    cjs: moduleType === 'cjs',
    runtimeImport: moduleSpecifier(paths.config, `${paths.runtime}/index.${language}`, importStyle),
    dbImport: moduleSpecifier(paths.config, db.path, importStyle),
    dbImportClause,
    dbRequireClause,
    jobsIndexImport: moduleSpecifier(paths.config, paths.jobsIndex, importStyle),
    jobsIndexPath: paths.jobsIndex,
    adapter: adapterExpression(modelName, fastPickup),
    prelude: fastPickup.preludeLines.length > 0 ? `${fastPickup.preludeLines.join('\n')}\n\n` : '',
    runCommand,
    workerDefaults: WORKER_SETTING_DEFAULTS,
    workerSettingsPath: `${paths.runtime}/worker-settings.${language}`,
  })
}

/**
 * For an app whose jobs model still has the indexes setup wrote before `id`
 * ended them: setup leaves the app's schema as it is (the indexes are the
 * team's to migrate), and says what to change, with the app's own command
 * (package manager, Redwood, `db push` for apps without migrations). Only
 * PostgreSQL gains from the change; on MySQL and SQLite the indexes already
 * end in the primary key (templates/schema/README.md), so the note says the
 * change is optional there rather than send the team to migrate for nothing.
 */
function previousIndexesNote(modelName: string, project: ProjectInfo): string {
  const apply = project.schemaWorkflow.kind === 'db-push' ? `${prismaCommand(project)} db push` : `${prismaCommand(project)} migrate dev --name background_jobs_indexes`
  const change = 'change them to @@index([priority, runAt, id]) and @@index([queue, priority, runAt, id])'
  const found = `${modelName} has the indexes of an earlier jobs-kit, @@index([priority, runAt]) and @@index([queue, priority, runAt]). Jobs run the same;`
  if (project.schema.provider !== 'postgresql') {
    return [
      found,
      `  on ${project.schema.provider === 'mysql' ? 'MySQL' : 'SQLite'} these indexes already end in the ${project.schema.provider === 'mysql' ? 'primary key' : 'rowid'}, so nothing needs to change. To match`,
      `  the current model anyway, ${change} and run \`${apply}\` (docs/schema.md in jobs-kit).`,
    ].join('\n')
  }
  return [
    found,
    `  on PostgreSQL the claim is faster with \`id\` appended: ${change}`,
    `  and run \`${apply}\` (docs/schema.md in jobs-kit).`,
  ].join('\n')
}

/**
 * The note on an earlier jobs-kit's indexes for an app already set up, or
 * null (other indexes, or a schema that cannot be read: `update` must not
 * fail on it). `jobs-kit update` prints it: after an upgrade, setup stops at
 * the vendored runtime that changed and sends the team to `update`, so
 * setup's own note was never seen on the way a team upgrades.
 */
export async function previousIndexesNoteOf(tree: Tree): Promise<string | null> {
  try {
    const project = await detectProject(tree, { schema: readJobsKitJson(tree).paths.schema })
    const { readJobsModelIndexes } = await import('../../schema/index.js')
    const found = readJobsModelIndexes(tree, project.schema)
    return found?.indexes === 'previous' ? previousIndexesNote(found.modelName, project) : null
  } catch {
    return null
  }
}

/** How the app runs its Prisma CLI: `npx prisma`, `pnpm exec prisma`, Redwood's `yarn rw prisma`, … */
function prismaCommand(project: ProjectInfo): string {
  const pm = project.packageManager
  const exec = { npm: 'npx', pnpm: 'pnpm exec', yarn: 'yarn', bun: 'bunx' }[pm]
  return project.redwood ? `${pm === 'npm' ? 'npx' : pm} rw prisma` : `${exec} prisma`
}

/** `migrationPath`: the migration setup wrote, `'existing'` when one was asked for but already there, null when not asked for. */
function nextSteps(project: ProjectInfo, paths: Required<JobsKitPaths>, migrationPath: string | null, fastPickup: FastPickup): string[] {
  const pm = project.packageManager
  // A local bin (prisma) vs a package that may not be installed (jobs-kit).
  const dlx = { npm: 'npx', pnpm: 'pnpm dlx', yarn: 'yarn dlx', bun: 'bunx' }[pm]
  const prisma = prismaCommand(project)
  const steps: [command: string, why: string][] = []
  if (project.language === 'ts' && !project.packageJson.dependencies?.tsx && !project.packageJson.devDependencies?.tsx) {
    steps.push([`${pm} install`, 'fetch tsx, which the jobs script runs'])
  }
  if (migrationPath) {
    steps.push([`${prisma} migrate dev`, migrationPath === 'existing'
      ? 'apply the migrations (one already creates the jobs table), regenerate the client'
      : `apply ${migrationPath}, regenerate the client`])
  } else if (project.schemaWorkflow.kind === 'db-push') {
    // The app keeps no migrations: a first one holding only the jobs table would look like drift to migrate dev.
    steps.push([`${prisma} db push`, 'create the jobs table the way this app applies its schema'])
    steps.push([`${prisma} generate`, 'regenerate the client (Prisma 7 no longer does it on push)'])
  } else {
    steps.push([`${prisma} migrate dev --name background_jobs`, 'create the jobs table, regenerate the client'])
  }
  steps.push(...fastPickup.nextSteps)
  steps.push([`${dlx} jobs-kit g job SendWelcomeEmail`, `a job in ${paths.jobs}/, registered in ${paths.jobsIndex}`])
  steps.push([runScriptCommand(pm, 'jobs', 'work'), 'a worker in this terminal (also: workoff, start, stop, status)'])
  const width = Math.max(...steps.map(([command]) => command.length))
  const lines = steps.map(([command, why]) => `${command.padEnd(width)}   # ${why}`)
  const configImport = importHint(project, paths.config)
  const importLater = project.language === 'js' && project.moduleType === 'cjs'
    ? `const { later } = require('${configImport.specifier}')`
    : `import { later } from '${configImport.specifier}'`
  const where = configImport.relativeTo === null
    ? 'your code'
    : configImport.relativeTo === '.' ? 'a file at the app root' : `a file in ${configImport.relativeTo}/`
  lines.push(`Then schedule from ${where}: ${importLater}; await later(SendWelcomeEmailJob, [user.id], { wait: 60 })`)
  return lines
}

/** The app talks to SQLite through libsql (`@prisma/adapter-libsql`, `@libsql/client`). */
function usesLibsql(packageJson: PackageJson): boolean {
  return hasDependency(packageJson, '@prisma/adapter-libsql') || hasDependency(packageJson, '@libsql/client')
}
