import { ScaffolderError } from '../../scaffolder-error.js'

/**
 * `--migration` in an app that applies its schema with `prisma db push`: a
 * migrations folder holding only the jobs table makes `prisma migrate dev`
 * see the rest of the database as drift and offer to reset it.
 */
export class MigrationWithDbPushError extends ScaffolderError {
  constructor(readonly evidence: string) {
    super(
      'MIGRATION_WITH_DB_PUSH',
      `this app applies its schema with \`prisma db push\` (${evidence}), so setup writes no migration: ` +
        'a migrations folder holding only the jobs table would make `prisma migrate dev` see your other tables as drift ' +
        'and offer to reset the database',
      'Run setup without --migration, then `prisma db push`. ' +
        'If you are moving this app to migrations on purpose, pass --force-migration.',
    )
  }
}

/** `--force-migration` without `--migration`: it would be dropped without a word, and no migration written. */
export class ForceMigrationWithoutMigrationError extends ScaffolderError {
  constructor() {
    super(
      'FORCE_MIGRATION_WITHOUT_MIGRATION',
      '--force-migration only lets --migration write the migration in a `prisma db push` app; on its own it writes nothing',
      'Run setup --migration --force-migration, or leave both out.',
    )
  }
}
