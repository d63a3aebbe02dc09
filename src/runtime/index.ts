/**
 * jobs-kit runtime: what the app's `lib/jobs.ts` and its jobs import.
 *
 * - `JobManager`: adapters, queues, workers and the jobs registry (`createJob`, `createScheduler`);
 * - `PrismaAdapter`: stores jobs through the app's Prisma client;
 * - `BullMQAdapter`: stores jobs in Redis through BullMQ (`npm install bullmq ioredis`, loaded only when used);
 * - `RabbitMQAdapter`: stores jobs in RabbitMQ (needs `npm install amqplib`, loaded on first use);
 * - `RedwoodJob`: the class-style job API (`RedwoodJob.config`, `extends RedwoodJob`);
 * - `currentJob()`: the running job's context from anywhere inside `perform`;
 * - the error classes, the defaults and every type.
 *
 * The worker and the runner CLI live in `worker/` and `runner/` and are not
 * exported here: the app runs them through its `jobs` script.
 */
export { JobManager } from './manager/job-manager.js'
export { PrismaAdapter, type PrismaAdapterOptions } from './adapters/prisma/prisma-adapter.js'
export { BullMQAdapter, type BullMQAdapterOptions } from './adapters/bullmq/bullmq-adapter.js'
export { RabbitMQAdapter, type RabbitMQAdapterOptions } from './adapters/rabbitmq/rabbitmq-adapter.js'
export { currentJob } from './manager/current-job.js'
export { RedwoodJob, type RedwoodJobConfig, type RedwoodJobOptions, type RedwoodJobClass } from './manager/redwood-job.js'
export { runJob } from './manager/run-job.js'
export { recurringJobs } from './recurring/recurring-entry.js'
export { RecurringConfigError, UnknownScheduleError } from './recurring/errors.js'
export * from './errors.js'
export * from './defaults.js'
export type * from './types.js'
