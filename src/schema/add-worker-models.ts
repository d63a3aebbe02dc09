import type { Tree } from '../tree/tree.js'
import { ScaffolderError } from '../scaffolder-error.js'
import { addCompanionModels, writeCompanionMigration, type CompanionModels } from './add-companion-models.js'
import type { SchemaLocation } from './schema-location.js'

/** The worker registry's model (the runtime's `DEFAULT_WORKER_MODEL_NAME`): one row per running worker. */
export const WORKER_MODEL_NAME = 'BackgroundJobWorker'

/** Jobs done and given up per minute, queue and worker (the runtime's `DEFAULT_JOB_COUNT_MODEL_NAME`). */
export const JOB_COUNT_MODEL_NAME = 'BackgroundJobCount'

/** Suffix of the worker registry's migration folder. */
export const WORKER_MIGRATION_NAME = 'background_job_workers'

/** A model or table named like one of the worker registry's that is not it. */
export class WorkerModelClashError extends ScaffolderError {
  constructor(readonly schemaPath: string, readonly name: string) {
    super(
      'WORKER_MODEL_CLASH',
      `${schemaPath} already has a model or table named ${name} with other fields, so jobs-kit changed nothing.`,
      'Workers register themselves in a model of that name (for `status` and the dashboard): rename yours, then run setup again.',
    )
  }
}

const WORKER_MODELS: CompanionModels = {
  models: [
    {
      name: WORKER_MODEL_NAME,
      template: 'schema/background-job-worker.prisma.hbs',
      fields: ['name', 'host', 'pid', 'queues', 'concurrency', 'startedAt', 'heartbeatAt', 'jobIds', 'done', 'failed'],
    },
    {
      name: JOB_COUNT_MODEL_NAME,
      template: 'schema/background-job-count.prisma.hbs',
      fields: ['minute', 'worker', 'queue', 'done', 'failed'],
    },
  ],
  migrationFolder: 'workers',
  migrationName: WORKER_MIGRATION_NAME,
  clash: (schemaPath, name) => new WorkerModelClashError(schemaPath, name),
}

/**
 * Adds the worker registry's two models next to the jobs model, with its
 * `@@schema` (see `addCompanionModels`). Idempotent, so running setup again
 * in an app set up before the registry adds only them.
 */
export function addWorkerModels(tree: Tree, schema: SchemaLocation, jobsModelName: string): Promise<{ changed: boolean }> {
  return addCompanionModels(tree, schema, jobsModelName, WORKER_MODELS)
}

/**
 * Stages the SQL creating the registry's tables the app's migrations lack:
 * appended to `jobsMigrationPath` (a fresh setup), else as
 * `<migrations>/<timestamp>_background_job_workers/migration.sql`.
 */
export function writeWorkerMigration(
  tree: Tree,
  schema: SchemaLocation,
  options: { now?: Date; jobsMigrationPath?: string } = {},
): { path: string } | null {
  return writeCompanionMigration(tree, schema, WORKER_MODELS, options)
}
