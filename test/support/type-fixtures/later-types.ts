// Compiled by src/runtime/manager/later-types.test.ts with tsc: every call
// marked @ts-expect-error must fail to compile, and everything else must
// compile. Never run.
import { JobManager, PrismaAdapter, type JobContext } from '../../../src/runtime/index.js'

const jobs = new JobManager({
  adapters: { prisma: new PrismaAdapter({ db: {} }) },
  queues: ['default', 'email'] as const,
  workers: [{ adapter: 'prisma', queue: '*' }],
  jobs: () => import('./later-types.js'),
})
export const later = jobs.createScheduler({ adapter: 'prisma' })

export const SendJob = jobs.createJob({ queue: 'email', perform: async (userId: number, note: string) => void [userId, note] })
export const NoArgsJob = jobs.createJob({ queue: 'default', perform: () => {} })
export const OptionalJob = jobs.createJob({ queue: 'default', perform: (limit?: number) => void limit })
export const ContextJob = jobs.createJob({
  queue: 'default',
  perform: async function (this: JobContext, id: number) {
    this.signal.throwIfAborted()
    this.logger.info(this.name, this.attempt, id)
  },
})

export async function calls(): Promise<void> {
  // These compile.
  await later(SendJob, [1, 'hi'])
  await later(SendJob, [1, 'hi'], { wait: 5, queue: 'email', priority: 1 })
  await later(SendJob, [1, 'hi'], { waitUntil: new Date(), queue: 'default' })
  await later(NoArgsJob)
  await later(NoArgsJob, [])
  await later(OptionalJob)
  await later(OptionalJob, [5])
  await later(ContextJob, [1])
  await SendJob.perform(1, 'hi')
  await SendJob.performLater(1, 'hi')
  await SendJob.set({ wait: 60 }).performLater(1, 'hi')
  const id: number = await later(NoArgsJob)
  void id

  // @ts-expect-error args of the wrong type
  await later(SendJob, ['1', 'hi'])
  // @ts-expect-error an argument missing
  await later(SendJob, [1])
  // @ts-expect-error an argument too many
  await later(SendJob, [1, 'hi', true])
  // @ts-expect-error args left out although perform needs them
  await later(SendJob)
  // @ts-expect-error args not wrapped in an array
  await later(SendJob, 1)
  // @ts-expect-error a queue that is not configured
  await later(SendJob, [1, 'hi'], { queue: 'nope' })
  // @ts-expect-error wait is seconds, not a string
  await later(SendJob, [1, 'hi'], { wait: '5' })
  // @ts-expect-error waitUntil is a Date
  await later(SendJob, [1, 'hi'], { waitUntil: '2030-01-01' })
  // @ts-expect-error performLater checks its arguments
  await SendJob.performLater('1', 'hi')
  // @ts-expect-error perform checks its arguments
  await SendJob.perform(1)
  // @ts-expect-error set() checks the queue
  SendJob.set({ queue: 'nope' })
  // @ts-expect-error an adapter that is not configured
  jobs.createScheduler({ adapter: 'redis' })
  // @ts-expect-error createJob on a queue that is not configured
  jobs.createJob({ queue: 'nope', perform: () => {} })
  jobs.createJob({
    queue: 'default',
    perform: async function (this: JobContext) {
      // @ts-expect-error the job context has no such member
      void this.nope
    },
  })
  new JobManager({
    adapters: { prisma: new PrismaAdapter({ db: {} }) },
    queues: ['default'] as const,
    // @ts-expect-error a worker on an adapter that is not configured
    workers: [{ adapter: 'redis', queue: '*' }],
    jobs: () => ({}),
  })
  new JobManager({
    adapters: { prisma: new PrismaAdapter({ db: {} }) },
    queues: ['default'] as const,
    // @ts-expect-error a worker on a queue that is not configured
    workers: [{ adapter: 'prisma', queue: 'email' }],
    jobs: () => ({}),
  })
}
