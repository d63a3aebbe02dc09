import type { Tree } from '../tree/tree.js'
import { ScaffolderError } from '../scaffolder-error.js'
import { addCompanionModels, writeCompanionMigration, type CompanionModels } from './add-companion-models.js'
import type { SchemaLocation } from './schema-location.js'

/** The model recurring jobs keep their schedules in (the runtime's `DEFAULT_SCHEDULE_MODEL_NAME`). */
export const SCHEDULE_MODEL_NAME = 'BackgroundJobSchedule'

/** Suffix of the schedule table's migration folder. */
export const SCHEDULE_MIGRATION_NAME = 'background_job_schedules'

/** A model or table named `BackgroundJobSchedule` that is not the schedule model. */
export class ScheduleModelClashError extends ScaffolderError {
  constructor(readonly schemaPath: string) {
    super(
      'SCHEDULE_MODEL_CLASH',
      `${schemaPath} already has a model or table named ${SCHEDULE_MODEL_NAME} with other fields, so jobs-kit changed nothing.`,
      'Recurring jobs keep their schedules in a model of that name: rename yours, then run setup again.',
    )
  }
}

const SCHEDULE_MODELS: CompanionModels = {
  models: [{
    name: SCHEDULE_MODEL_NAME,
    template: 'schema/background-job-schedule.prisma.hbs',
    fields: ['name', 'cron', 'timezone', 'lastSlotAt', 'lastRunSlotAt', 'lastRunAt', 'lastJobId', 'pausedAt', 'createdAt', 'updatedAt'],
  }],
  migrationFolder: 'recurring',
  migrationName: SCHEDULE_MIGRATION_NAME,
  clash: (schemaPath) => new ScheduleModelClashError(schemaPath),
}

/**
 * Adds the recurring jobs' schedule model next to the jobs model, with the
 * jobs model's `@@schema` (see `addCompanionModels`). Idempotent, so running
 * setup again in an app set up before recurring jobs adds only it.
 */
export function addScheduleModel(tree: Tree, schema: SchemaLocation, jobsModelName: string): Promise<{ changed: boolean }> {
  return addCompanionModels(tree, schema, jobsModelName, SCHEDULE_MODELS)
}

/**
 * Stages the SQL creating the schedule table, unless the app's migrations
 * already create it: appended to `jobsMigrationPath` (a fresh setup), else as
 * `<migrations>/<timestamp>_background_job_schedules/migration.sql`.
 */
export function writeScheduleMigration(
  tree: Tree,
  schema: SchemaLocation,
  options: { now?: Date; jobsMigrationPath?: string } = {},
): { path: string } | null {
  return writeCompanionMigration(tree, schema, SCHEDULE_MODELS, options)
}
