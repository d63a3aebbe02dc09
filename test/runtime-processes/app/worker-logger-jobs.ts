/**
 * A JobManager config whose `workers` entry sets its own logger (tagged, so
 * tests see which logger the worker used), beside the config's `console`.
 */
import { JobManager, PrismaAdapter } from '../../../src/runtime/index.js'
import { logger as workerLogger } from './class-style/logger.js'
import { db } from './db.js'

export const jobs = new JobManager({
  adapters: { prisma: new PrismaAdapter({ db }) },
  queues: ['default', 'email'] as const,
  logger: console,
  workers: [{ adapter: 'prisma', queue: '*', sleepDelay: 0.1, logger: workerLogger }],
  jobs: () => import('./jobs/index.js'),
})
