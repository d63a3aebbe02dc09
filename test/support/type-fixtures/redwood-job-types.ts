// Compiled by src/runtime/manager/redwood-job-types.test.ts with tsc: every
// line after @ts-expect-error must fail to compile, and everything else must
// compile. Never run.
import { JobManager, PrismaAdapter, RedwoodJob, type JobContext, type JobFailure } from '../../../src/runtime/index.js'
import { expectNotScheduled, expectScheduled, runScheduled } from '../../../src/runtime/testing/index.js'

const adapter = new PrismaAdapter({ db: {} })
RedwoodJob.config({ adapter, logger: console })

export class SendWelcomeEmailJob extends RedwoodJob {
  static queue = 'email'
  static priority = 1
  async perform(userId: number, note?: string) {
    this.logger.info(userId, note, this.context?.signal.aborted)
  }
  afterFailure(failure: JobFailure, userId: number) {
    this.logger.error(failure.error.message, failure.willRetry, userId)
  }
}

export class NoArgsJob extends RedwoodJob {
  perform() {}
}

// @ts-expect-error static priority is a number (the seed's '1' is refused)
export class BadPriorityJob extends RedwoodJob {
  static priority = '1'
  perform() {}
}

const jobs = new JobManager({
  adapters: { prisma: adapter, audit: adapter },
  queues: ['default', 'email'] as const,
  hooks: {
    afterFailure(this: JobContext, failure: JobFailure, ...args: unknown[]) {
      this.logger.error(this.name, this.id, failure.error, failure.willRetry, args)
    },
  },
  workers: [{ adapter: 'prisma', queue: '*' }],
  jobs: () => import('./redwood-job-types.js'),
})
export const later = jobs.createScheduler({ adapter: 'prisma', logger: console })

export const AuditJob = jobs.createJob({
  queue: 'default',
  adapter: 'audit',
  logger: console,
  beforePerform: async function (this: JobContext, id: number) {
    this.signal.throwIfAborted()
    void id
  },
  perform: async (id: number) => void id,
  afterFailure: (failure, id) => void [failure.error, failure.willRetry, id],
})

export async function calls(): Promise<void> {
  // These compile.
  await SendWelcomeEmailJob.performLater(1)
  await SendWelcomeEmailJob.performLater(1, 'hi')
  await SendWelcomeEmailJob.set({ wait: 300 }).performLater(1)
  await SendWelcomeEmailJob.performNow(1)
  await NoArgsJob.performLater()
  const job = new SendWelcomeEmailJob({ wait: 300 })
  await job.set({ queue: 'email' }).set({ priority: 2 }).performLater(2)
  await job.performNow(2)
  const runAt: Date = job.runAt
  const queue: string = job.queue
  const priority: number = job.priority
  const wait: number | undefined = job.wait
  const waitUntil: Date | null = job.waitUntil
  void [runAt, queue, priority, wait, waitUntil, job.adapter, job.logger]
  await later(AuditJob, [1])
  expectScheduled(AuditJob, [1], { queue: 'default', wait: 5 })
  expectScheduled(AuditJob)
  expectScheduled(SendWelcomeEmailJob, [1])
  expectScheduled(SendWelcomeEmailJob, [1, 'hi'], { priority: 1 })
  expectNotScheduled(NoArgsJob, [])
  expectScheduled(job, [2])
  expectNotScheduled(new NoArgsJob(), [])
  await runScheduled({ jobs })

  // @ts-expect-error performLater checks the arguments against perform
  await SendWelcomeEmailJob.performLater('1')
  // @ts-expect-error an argument missing
  await SendWelcomeEmailJob.performLater()
  // @ts-expect-error an argument too many
  await NoArgsJob.performLater(1)
  // @ts-expect-error set().performLater checks them too
  await SendWelcomeEmailJob.set({ wait: 5 }).performLater('1')
  // @ts-expect-error instance performLater checks them
  await job.performLater('2')
  // @ts-expect-error performNow checks them
  await SendWelcomeEmailJob.performNow()
  // @ts-expect-error wait is seconds
  job.set({ wait: '5' })
  // @ts-expect-error runAt is computed, never set
  job.runAt = new Date()
  // @ts-expect-error queue is set through set()
  job.queue = 'email'
  // @ts-expect-error the adapter comes from static adapter or RedwoodJob.config
  job.adapter = adapter
  // @ts-expect-error a per-job adapter must be configured
  jobs.createJob({ queue: 'default', adapter: 'redis', perform: () => {} })
  // @ts-expect-error hooks take the job's arguments
  jobs.createJob({ queue: 'default', beforePerform: (id: string) => void id, perform: (id: number) => void id })
  // @ts-expect-error expectScheduled checks the args like later()
  expectScheduled(AuditJob, ['1'])
  // @ts-expect-error and for class-style jobs like performLater()
  expectScheduled(SendWelcomeEmailJob, ['1'])
  // @ts-expect-error args are an array
  expectScheduled(SendWelcomeEmailJob, 1)
  // @ts-expect-error an instance stands for its class: its args are checked too
  expectScheduled(job, ['2'])
  // @ts-expect-error and for expectNotScheduled
  expectNotScheduled(new NoArgsJob(), [1])
  // @ts-expect-error a scheduler's logger is a logger
  jobs.createScheduler({ adapter: 'prisma', logger: 'debug' })
}
