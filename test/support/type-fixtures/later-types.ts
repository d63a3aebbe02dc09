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
  // later.many: the one-job form, items are args or { args, options }.
  const users = [{ id: 1, delay: 5 }]
  const ids: number[] = await later.many(SendJob, [[1, 'a'], [2, 'b']])
  void ids
  await later.many(SendJob, users.map((user) => [user.id, 'hi']))
  await later.many(SendJob, users.map((user) => ({ args: [user.id, 'hi'], options: { wait: user.delay } })), { queue: 'email', db: {} })
  await later.many(SendJob, [[1, 'a'], { args: [2, 'b'], options: { priority: 1, waitUntil: new Date() } }])
  await later.many(NoArgsJob, [[], {}, { options: { wait: 1 } }])
  await later.many(OptionalJob, [[], [5]])
  // later.many: entries of several jobs, each checked against its own job.
  await later.many([{ job: SendJob, args: [1, 'a'] }, { job: NoArgsJob }, { job: OptionalJob, args: [3], options: { queue: 'default' } }])
  await later.many([{ job: ContextJob, args: [1] }], { db: {}, wait: 10 })

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
  // @ts-expect-error later.many: args of the wrong type in the one-job form
  await later.many(SendJob, [[1, 'a'], ['2', 'b']])
  // @ts-expect-error later.many: an argument missing
  await later.many(SendJob, users.map((user) => [user.id]))
  // @ts-expect-error later.many: { args } of the wrong type
  await later.many(SendJob, users.map((user) => ({ args: [user.id, 2] })))
  // @ts-expect-error later.many: args left out although perform needs them
  await later.many(SendJob, [{ options: { wait: 1 } }])
  // @ts-expect-error later.many: an entry's args checked against its own job
  await later.many([{ job: SendJob, args: [1, 'a'] }, { job: ContextJob, args: ['1'] }])
  // @ts-expect-error later.many: an entry without the args its job needs
  await later.many([{ job: NoArgsJob }, { job: SendJob }])
  // @ts-expect-error later.many: args for a job that takes none
  await later.many([{ job: NoArgsJob, args: [1] }])
  // @ts-expect-error later.many: a queue that is not configured, in an entry
  await later.many([{ job: SendJob, args: [1, 'a'], options: { queue: 'nope' } }])
  // @ts-expect-error later.many: db belongs to the call, not to an entry
  await later.many(SendJob, [{ args: [1, 'a'], options: { db: {} } }])
  // @ts-expect-error later.many: a queue that is not configured, for the call
  await later.many(SendJob, [[1, 'a']], { queue: 'nope' })
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
