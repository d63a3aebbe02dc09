import { ScaffolderError } from '../scaffolder-error.js'

/**
 * One error class per way finding or changing the app's Prisma schema can
 * fail. Each message says what was wrong, its advice what to do; only the
 * CLI prints them.
 */

/** No Prisma schema in any place Prisma (or jobs-kit) looks. */
export class SchemaNotFoundError extends ScaffolderError {
  constructor(readonly searched: readonly string[]) {
    super(
      'SCHEMA_NOT_FOUND',
      `No Prisma schema found. Looked in: ${searched.join(', ')}.`,
      'Run `npx prisma init` to create one, or pass its location with --schema <file or folder>.',
    )
  }
}

/** A path given by `--schema`, prisma.config or package.json that does not exist. */
export class SchemaPathNotFoundError extends ScaffolderError {
  constructor(readonly path: string, readonly source: string) {
    super(
      'SCHEMA_PATH_NOT_FOUND',
      `The Prisma schema "${path}" (from ${source}) does not exist.`,
      `Fix the path in ${source}, or pass the right one with --schema <file or folder>.`,
    )
  }
}

/** The schema path is one file of a multi-file schema folder; on its own it is not a valid schema. */
export class SchemaFileInFolderError extends ScaffolderError {
  constructor(readonly file: string, readonly folder: string, readonly source: string) {
    super(
      'SCHEMA_FILE_IN_FOLDER',
      `${file} is one file of the multi-file schema in ${folder}/: on its own it does not validate, the folder does.`,
      `Pass the folder: --schema ${folder}` + (source === '--schema' ? '.' : ` (or set it in ${source}).`),
    )
  }
}

/** prisma.config sets `schema` to something we cannot read without running the file. */
export class UnreadablePrismaConfigError extends ScaffolderError {
  constructor(readonly configPath: string, readonly expression: string) {
    super(
      'PRISMA_CONFIG_UNREADABLE',
      `${configPath} sets \`schema\` to \`${expression}\`, which jobs-kit cannot read without running the file.`,
      "Pass the schema's location with --schema <file or folder>.",
    )
  }
}

/** A schema without a datasource block, so we cannot tell which database the jobs table lives in. */
export class DatasourceNotFoundError extends ScaffolderError {
  constructor(readonly schemaPath: string) {
    super(
      'DATASOURCE_NOT_FOUND',
      `${schemaPath} has no \`datasource\` block, so jobs-kit cannot tell which database to use.`,
      'Add one (e.g. datasource db { provider = "postgresql" }) and run setup again.',
    )
  }
}

/** A datasource provider the Prisma adapter cannot store jobs in. */
export class UnsupportedProviderError extends ScaffolderError {
  constructor(readonly provider: string, readonly schemaPath: string) {
    super(
      'UNSUPPORTED_PROVIDER',
      provider === 'mongodb'
        ? `${schemaPath} uses MongoDB. jobs-kit keeps jobs in a SQL table (SQLite, PostgreSQL or MySQL/MariaDB) and ` +
            `relies on that database's row locking so that two workers never take the same job; MongoDB has no such ` +
            `table or lock, so jobs-kit cannot run on it.`
        : `${schemaPath} uses provider "${provider}"; jobs-kit keeps jobs in SQLite, PostgreSQL or MySQL/MariaDB only ` +
            `(its locking is written and tested for those three).`,
      provider === 'mongodb'
        ? // No --schema advice: a MongoDB app has no other schema to point at.
          'Nothing was changed.'
        : 'Nothing was changed. If this app also has a Prisma schema for one of them, pass that one with --schema <file or folder>.',
    )
  }
}

/** The schema does not validate: before our change (the user's to fix) or after it (ours). */
export class SchemaValidationError extends ScaffolderError {
  constructor(
    readonly schemaPath: string,
    /** The schema engine's own message. */
    readonly engineMessage: string,
    readonly stage: 'before' | 'after',
  ) {
    super(
      'SCHEMA_INVALID',
      stage === 'before'
        ? `${schemaPath} does not validate, so jobs-kit changed nothing. Prisma's schema engine said:\n${engineMessage}`
        : `Adding the jobs model would make ${schemaPath} invalid, so jobs-kit changed nothing. ` +
            `Prisma's schema engine said:\n${engineMessage}`,
      stage === 'before'
        ? 'Fix it (`npx prisma validate`) and run setup again.'
        : 'If a model or enum in your schema clashes with it, pass --model <Name> (and --table <name>).',
    )
  }
}

/** The schema already has a model (or table) of the name we want, and it is not the jobs model. */
export class JobsModelClashError extends ScaffolderError {
  constructor(
    readonly schemaPath: string,
    readonly modelName: string,
    readonly tableName: string,
    readonly clash: 'model' | 'table',
    /** What is in the way: `model`, `enum` or `type` (clash `model`); `model Legacy` (clash `table`). */
    readonly existing: string,
    /** The table that is in the way, as the schema maps it (clash `table` only). */
    readonly existingTable: string | null,
    /** A free name for the flag the message advises (`--model` for a model clash, `--table` for a table clash). */
    readonly suggestion: string,
    /** The name in the way (clash `model`), when it differs from `modelName` in case only. */
    readonly existingName: string = modelName,
  ) {
    super(
      'JOBS_MODEL_CLASH',
      clash === 'model'
        ? `${schemaPath} already has ${existing === 'enum' ? 'an' : 'a'} ${existing} named ${existingName}` +
            `${existingName !== modelName ? ` (Prisma's client would call both it and ${modelName} \`prisma.${modelName.charAt(0).toLowerCase()}${modelName.slice(1)}\`)` : ''}` +
            `${existing === 'model' && existingName === modelName ? ' with other fields than jobs-kit\'s jobs model' : ''}, and jobs-kit never edits ` +
            `your models.`
        : `${schemaPath}: ${existing} already uses the table "${existingTable}", which is the table the jobs model ` +
            `${modelName} would get ("${tableName}"; jobs-kit compares table names case-insensitively, as MySQL on ` +
            `macOS/Windows does).`,
      clash === 'model'
        ? `Run setup again with \`--model ${suggestion}\` (or another free name) to add the jobs model under that name.`
        : `Run setup again with \`--table ${suggestion}\` (or another free name) to give the jobs model its own table.`,
    )
  }
}

/** `--model`, `--table` or `--db-schema` ask for a jobs model other than the one the schema already has. */
export class ExistingJobsModelError extends ScaffolderError {
  constructor(
    readonly schemaPath: string,
    readonly existing: { name: string; table: string; dbSchema: string | null },
    /** What was asked for, as flags: `--model OtherJob`. */
    readonly requested: string,
  ) {
    super(
      'JOBS_MODEL_EXISTS',
      `${schemaPath} already has the jobs model ${existing.name} (table "${existing.table}"` +
        `${existing.dbSchema ? ` in schema "${existing.dbSchema}"` : ''}); ${requested} would add a second jobs table ` +
        `that nothing uses.`,
      `Run setup without ${requested.replace(/ \S+/g, '')} to keep using ${existing.name}, or rename ` +
        `that model in your schema (and \`model:\` in your jobs config) and run \`prisma migrate dev\`.`,
    )
  }
}

/** `--db-schema` names a schema the datasource's `schemas` list does not have. */
export class DatabaseSchemaNotListedError extends ScaffolderError {
  constructor(readonly requested: string, readonly listed: readonly string[], readonly schemaPath: string) {
    super(
      'DB_SCHEMA_NOT_LISTED',
      `"${requested}" is not in the datasource's schemas (${listed.join(', ')}) in ${schemaPath}, and Prisma only ` +
        `accepts @@schema("${requested}") for a listed one.`,
      `Run setup again with \`--db-schema ${listed.includes('public') ? 'public' : listed[0]}\` ` +
        `(or another listed schema), or add "${requested}" to \`schemas\` in the datasource block first.`,
    )
  }
}

/** `--db-schema` on a datasource without a `schemas` list, where Prisma allows no `@@schema`. */
export class DatabaseSchemasNotUsedError extends ScaffolderError {
  constructor(readonly requested: string, readonly schemaPath: string) {
    super(
      'DB_SCHEMAS_NOT_USED',
      `--db-schema ${requested} needs a PostgreSQL datasource that lists its schemas (\`schemas = ["public", "${requested}"]\`), ` +
        `and the one in ${schemaPath} lists none: every table goes in the schema of your connection URL ` +
        `(\`?schema=\`, "public" by default).`,
      'Run setup without --db-schema, or list the schemas in the datasource first (Prisma then wants @@schema on every model).',
    )
  }
}

/** A `--model` or `--table` value that Prisma would not accept. */
export class InvalidModelNameError extends ScaffolderError {
  constructor(readonly name: string, readonly what: 'model' | 'table') {
    super(
      'INVALID_MODEL_NAME',
      what === 'model'
        ? `--model "${name}" is not a valid Prisma model name.`
        : `--table "${name}" is not a table name jobs-kit can write a migration for.`,
      what === 'model'
        ? 'Use letters, digits and underscores, starting with a letter (e.g. --model BackgroundJob).'
        : 'Use letters, digits and underscores (e.g. --table background_jobs).',
    )
  }
}

/** `writeMigration` was called for a schema that has no jobs model yet. */
export class JobsModelMissingError extends ScaffolderError {
  constructor(readonly schemaPath: string, readonly modelName: string) {
    super(
      'JOBS_MODEL_MISSING',
      `${schemaPath} has no model ${modelName}, so there is no table to write a migration for.`,
      'Add it first (addBackgroundJobModel, i.e. `npx jobs-kit setup`).',
    )
  }
}

/** The jobs model exists but is not shaped like the one our migration SQL creates. */
export class MigrationNotSupportedError extends ScaffolderError {
  constructor(readonly modelName: string, readonly reason: string) {
    super(
      'MIGRATION_NOT_SUPPORTED',
      `jobs-kit cannot write the migration for ${modelName}: ${reason}, so its SQL would not match the model.`,
      'Let Prisma write it: `npx prisma migrate dev --name background_jobs` (run setup without the migration).',
    )
  }
}

/** A migration already creates a table of the jobs table's name, with other columns, and none drops it. */
export class MigrationTableClashError extends ScaffolderError {
  constructor(
    /** The migration.sql that creates it, relative to the app root. */
    readonly migrationPath: string,
    readonly tableName: string,
    /** Its columns after every migration. */
    readonly columns: readonly string[],
    /** A table name no migration and no model uses. */
    readonly suggestion: string,
  ) {
    super(
      'MIGRATION_TABLE_CLASH',
      `${migrationPath} creates a table "${tableName}" with other columns (${columns.join(', ')}) than the jobs table, ` +
        `and no later migration drops or renames it, so your database has that table and it is not jobs-kit's. ` +
        `Nothing was changed.`,
      `Run setup again with \`--table ${suggestion}\` (or another free name) to keep the jobs in a table of their own.`,
    )
  }
}
