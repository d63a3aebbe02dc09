/**
 * The app's Prisma schema: find it, add the jobs model, write its migration.
 * `setup` calls these three in order, on one staged tree.
 */
export { findPrismaSchema, type FindPrismaSchemaOptions } from './find-prisma-schema.js'
export { addBackgroundJobModel, readJobsModelIndexes } from './add-background-job-model.js'
export { addScheduleModel, writeScheduleMigration, SCHEDULE_MODEL_NAME, ScheduleModelClashError } from './add-schedule-model.js'
export { addWorkerModels, writeWorkerMigration, WORKER_MODEL_NAME, JOB_COUNT_MODEL_NAME, WorkerModelClashError } from './add-worker-models.js'
export { checkMigrationHistory, writeMigration, migrationTimestamp, MIGRATION_NAME, type WriteMigrationOptions } from './write-migration.js'
export { DEFAULT_JOBS_MODEL_NAME, type JobsModelOptions } from './jobs-model.js'
export type { JobsProvider, SchemaLocation } from './schema-location.js'
export * from './errors.js'
