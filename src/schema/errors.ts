import { JobsKitError } from '../runtime/errors.js'

/**
 * One error class per way finding or changing the app's Prisma schema can
 * fail. Each message says what was wrong and what to do; only the CLI prints
 * them.
 */

/** No Prisma schema in any place Prisma (or jobs-kit) looks. */
export class SchemaNotFoundError extends JobsKitError {
  constructor(readonly searched: readonly string[]) {
    super(
      'SCHEMA_NOT_FOUND',
      `No Prisma schema found. Looked in: ${searched.join(', ')}. ` +
        `Run \`npx prisma init\` to create one, or pass its location with --schema <file or folder>.`,
    )
  }
}

/** A path given by `--schema`, prisma.config or package.json that does not exist. */
export class SchemaPathNotFoundError extends JobsKitError {
  constructor(readonly path: string, readonly source: string) {
    super(
      'SCHEMA_PATH_NOT_FOUND',
      `The Prisma schema "${path}" (from ${source}) does not exist. ` +
        `Fix the path in ${source}, or pass the right one with --schema <file or folder>.`,
    )
  }
}

/** The schema path is one file of a multi-file schema folder; on its own it is not a valid schema. */
export class SchemaFileInFolderError extends JobsKitError {
  constructor(readonly file: string, readonly folder: string, readonly source: string) {
    super(
      'SCHEMA_FILE_IN_FOLDER',
      `${file} is one file of the multi-file schema in ${folder}/: on its own it does not validate, the folder does. ` +
        `Pass the folder: --schema ${folder}` + (source === '--schema' ? '.' : ` (or set it in ${source}).`),
    )
  }
}

/** prisma.config sets `schema` to something we cannot read without running the file. */
export class UnreadablePrismaConfigError extends JobsKitError {
  constructor(readonly configPath: string, readonly expression: string) {
    super(
      'PRISMA_CONFIG_UNREADABLE',
      `${configPath} sets \`schema\` to \`${expression}\`, which jobs-kit cannot read without running the file. ` +
        `Pass the schema's location with --schema <file or folder>.`,
    )
  }
}

/** A schema without a datasource block, so we cannot tell which database the jobs table lives in. */
export class DatasourceNotFoundError extends JobsKitError {
  constructor(readonly schemaPath: string) {
    super(
      'DATASOURCE_NOT_FOUND',
      `${schemaPath} has no \`datasource\` block, so jobs-kit cannot tell which database to use. ` +
        `Add one (e.g. datasource db { provider = "postgresql" }) and run setup again.`,
    )
  }
}

/** A datasource provider the Prisma adapter cannot store jobs in. */
export class UnsupportedProviderError extends JobsKitError {
  constructor(readonly provider: string, readonly schemaPath: string) {
    super(
      'UNSUPPORTED_PROVIDER',
      `${schemaPath} uses provider "${provider}"; jobs-kit stores jobs in SQLite, PostgreSQL or MySQL/MariaDB only. ` +
        `Point --schema at a schema with one of those providers.`,
    )
  }
}

/** The schema does not validate: before our change (the user's to fix) or after it (ours). */
export class SchemaValidationError extends JobsKitError {
  constructor(
    readonly schemaPath: string,
    /** The schema engine's own message. */
    readonly engineMessage: string,
    readonly stage: 'before' | 'after',
  ) {
    super(
      'SCHEMA_INVALID',
      stage === 'before'
        ? `${schemaPath} does not validate, so jobs-kit changed nothing. Fix it (\`npx prisma validate\`) ` +
            `and run setup again. Prisma's schema engine said:\n${engineMessage}`
        : `Adding the jobs model would make ${schemaPath} invalid, so jobs-kit changed nothing. ` +
            `If a model or enum in your schema clashes with it, pass --model <Name> (and --table <name>). ` +
            `Prisma's schema engine said:\n${engineMessage}`,
    )
  }
}

/** The schema already has a model (or table) of the name we want, and it is not the jobs model. */
export class JobsModelClashError extends JobsKitError {
  constructor(
    readonly schemaPath: string,
    readonly modelName: string,
    readonly tableName: string,
    readonly clash: 'model' | 'table',
    readonly existing: string,
  ) {
    super(
      'JOBS_MODEL_CLASH',
      clash === 'model'
        ? `${schemaPath} already has a ${existing} named ${modelName} with different fields than the jobs model. ` +
            `Run setup with --model <Name> (e.g. --model JobsKitJob) to use another name, or rename yours.`
        : `${schemaPath}: ${existing} already uses the table name "${tableName}". ` +
            `Run setup with --table <name> (e.g. --table jobs_kit_jobs) or --model <Name> to avoid the clash.`,
    )
  }
}

/** A `--model` or `--table` value that Prisma would not accept. */
export class InvalidModelNameError extends JobsKitError {
  constructor(readonly name: string, readonly what: 'model' | 'table') {
    super(
      'INVALID_MODEL_NAME',
      what === 'model'
        ? `"${name}" is not a valid Prisma model name. Use letters, digits and underscores, starting with a letter (e.g. BackgroundJob).`
        : `"${name}" is not a table name jobs-kit can write a migration for. Use letters, digits and underscores (e.g. background_jobs).`,
    )
  }
}

/** `writeMigration` was called for a schema that has no jobs model yet. */
export class JobsModelMissingError extends JobsKitError {
  constructor(readonly schemaPath: string, readonly modelName: string) {
    super(
      'JOBS_MODEL_MISSING',
      `${schemaPath} has no model ${modelName}, so there is no table to write a migration for. ` +
        `Add it first (addBackgroundJobModel, i.e. \`npx jobs-kit setup\`).`,
    )
  }
}

/** The jobs model exists but is not shaped like the one our migration SQL creates. */
export class MigrationNotSupportedError extends JobsKitError {
  constructor(readonly modelName: string, readonly reason: string) {
    super(
      'MIGRATION_NOT_SUPPORTED',
      `jobs-kit cannot write the migration for ${modelName}: ${reason}, so its SQL would not match the model. ` +
        `Let Prisma write it: \`npx prisma migrate dev --name background_jobs\` (run setup without the migration).`,
    )
  }
}
