/**
 * The RabbitMQ adapter against the real broker (127.0.0.1:5672), each file in
 * a vhost of its own (test/support/rabbitmq.ts).
 */
import { execFile, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import amqplib from 'amqplib'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestVhost, type TestVhost } from '../../../../test/support/rabbitmq.js'
import { workoffWorker } from '../../../../test/support/workoff-worker.js'
import { JobManager } from '../../manager/job-manager.js'
import type { FindInput, Logger, StoredJob } from '../../types.js'
import { Worker } from '../../worker/worker.js'
import { RabbitMQAdapter } from './rabbitmq-adapter.js'

const QUEUES = ['default', 'email', 'other']
const REPO = fileURLToPath(new URL('../../../../', import.meta.url))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000)
const handler = (name = 'TestJob', args: unknown[] = []) => ({ name, path: `${name}/${name}`, args })
const quietLogger = (): Logger & { errors: string[]; warnings: string[] } => {
  const errors: string[] = []
  const warnings: string[] = []
  return {
    debug() {},
    info() {},
    warn: (message: unknown) => void warnings.push(String(message)),
    error: (message: unknown) => void errors.push(String(message)),
    errors,
    warnings,
  }
}

let vhost: TestVhost
const opened: RabbitMQAdapter[] = []
function newAdapter(options: { logger?: Logger; consumerTimeoutSeconds?: number } = {}): RabbitMQAdapter {
  const adapter = new RabbitMQAdapter({ url: vhost.url, queues: QUEUES, logger: options.logger ?? quietLogger(), ...options })
  opened.push(adapter)
  return adapter
}
const schedule = (adapter: RabbitMQAdapter, input: { queue?: string; priority?: number; runAt?: Date; name?: string } = {}) =>
  adapter.schedule({ handler: handler(input.name), queue: input.queue ?? 'default', priority: input.priority ?? 50, runAt: input.runAt ?? new Date() })
const find = (adapter: RabbitMQAdapter, input: Partial<FindInput> = {}) =>
  adapter.find({ processName: 'host:worker.0', staleAfterSeconds: 60, queues: '*', ...input })
async function eventually(poll: () => Promise<StoredJob[]>, timeoutMs: number): Promise<StoredJob[]> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const found = await poll()
    if (found.length > 0 || Date.now() > until) return found
    await sleep(100)
  }
}

beforeAll(async () => {
  vhost = await createTestVhost()
}, 60_000)
afterAll(async () => {
  await vhost?.drop()
}, 60_000)
afterEach(async () => {
  // Closed first: jobs they hold go back to their queues, then go.
  await Promise.all(opened.splice(0).map((adapter) => adapter.close()))
  const cleaner = newAdapter()
  await cleaner.clear()
  await cleaner.close()
  opened.splice(0)
})

describe('RabbitMQAdapter on a real broker', { timeout: 60_000 }, () => {
  it('hands out by priority band, lower jobs-kit priority first', async () => {
    const adapter = newAdapter()
    const relaxed = await schedule(adapter, { priority: 90 })
    const normal = await schedule(adapter, { priority: 50 })
    const urgent = await schedule(adapter, { priority: 1 })
    const order: number[] = []
    for (let i = 0; i < 3; i++) {
      const [job] = await find(adapter, { limit: 1 })
      order.push(job!.id)
      await adapter.success({ job: job!, deleteJob: true })
    }
    expect(order).toEqual([urgent, normal, relaxed])
  })

  it('delays without a plugin, never early, and a long delay does not hold back a short one behind it', async () => {
    const adapter = newAdapter()
    await schedule(adapter, { name: 'InAnHour', runAt: secondsFromNow(3600) })
    const runAt = secondsFromNow(2)
    const soon = await schedule(adapter, { name: 'Soon', runAt })
    expect(await find(adapter)).toEqual([])
    expect((await adapter.status()).find((each) => each.queue === 'default')).toMatchObject({ waiting: 0, scheduled: 2 })
    const found = await eventually(() => find(adapter), 20_000)
    expect(Date.now()).toBeGreaterThanOrEqual(runAt.getTime())
    expect(found.map((job) => job.id)).toEqual([soon])
    await adapter.success({ job: found[0]!, deleteJob: true })
    expect((await adapter.status()).find((each) => each.queue === 'default')).toMatchObject({ waiting: 0, scheduled: 1 })
  })

  it('prefetches only what a worker asked for, so a second worker gets the rest', async () => {
    const busy = newAdapter()
    const idle = newAdapter()
    for (let i = 0; i < 5; i++) await schedule(busy)
    const first = await find(busy, { limit: 2 })
    expect(first).toHaveLength(2)
    const second = await find(idle, { processName: 'host:worker.1', limit: 10 })
    expect(second).toHaveLength(3)
  })

  it('acknowledges only after the outcome: a worker that goes away leaves its job to another, its run counted', async () => {
    const dying = newAdapter()
    const id = await schedule(dying)
    const [job] = await find(dying)
    expect(job).toMatchObject({ id, attempts: 1 })
    await dying.close()
    const other = newAdapter()
    const [again] = await eventually(() => find(other, { processName: 'host:worker.1' }), 10_000)
    expect(again).toMatchObject({ id, attempts: 2, lockedBy: 'host:worker.1' })
    expect(again!.lastError).toMatch(/delivered this job again/)
  })

  it('runs jobs through the worker: retries with the a⁴ backoff, then the failed queue at maxAttempts', async () => {
    const adapter = newAdapter()
    const registry: Record<string, unknown> = {}
    const attempts: number[] = []
    const jobs = new JobManager({ adapters: { rabbit: adapter }, queues: ['default'] as const, logger: quietLogger(), workers: [], jobs: () => registry })
    registry.FlakyJob = jobs.createJob({
      queue: 'default',
      perform: async function () {
        attempts.push(this.attempt)
        throw new Error(`attempt ${this.attempt} failed`)
      },
    })
    const later = jobs.createScheduler({ adapter: 'rabbit' })
    await later(registry.FlakyJob as never, [])
    const worker = () => workoffWorker({ adapter, loadJob: (name) => jobs.loadJob(name), logger: quietLogger(), maxAttempts: 2, queues: ['default'] })
    await worker().run()
    const failedAt = Date.now()
    expect(attempts).toEqual([1])
    expect((await adapter.status()).find((each) => each.queue === 'default')).toMatchObject({ scheduled: 1, failed: 0 })
    const until = Date.now() + 15_000
    while (attempts.length < 2 && Date.now() < until) {
      await sleep(200)
      await worker().run()
    }
    expect(attempts).toEqual([1, 2])
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(1000)
    expect((await adapter.status()).find((each) => each.queue === 'default')).toMatchObject({ waiting: 0, scheduled: 0, failed: 1 })
  })

  it('consumes again after the broker closes its connection, and says so', async () => {
    const logger = quietLogger()
    const adapter = newAdapter({ logger })
    const registry: Record<string, unknown> = {}
    const ran: string[] = []
    const jobs = new JobManager({ adapters: { rabbit: adapter }, queues: ['default'] as const, logger, workers: [], jobs: () => registry })
    registry.RecordJob = jobs.createJob({ queue: 'default', perform: async (label: string) => void ran.push(label) })
    const later = jobs.createScheduler({ adapter: 'rabbit' })
    const worker = new Worker({
      adapter,
      loadJob: (name) => jobs.loadJob(name),
      logger,
      processName: 'host:jobs-kit-worker.default.0',
      queues: ['default'],
      maxAttempts: 3,
      maxRuntimeSeconds: 30,
      sleepDelaySeconds: 0.2,
      deleteFailedJobs: false,
      deleteSuccessfulJobs: true,
      concurrency: 2,
      mode: 'work',
    })
    const running = worker.run()
    try {
      await later(registry.RecordJob as never, ['before'])
      for (let i = 0; i < 100 && !ran.includes('before'); i++) await sleep(100)
      expect(ran).toEqual(['before'])
      await vhost.rabbitmqctl('close_all_connections', 'jobs-kit test: broker closes the connection')
      for (let i = 0; i < 100 && logger.errors.length === 0; i++) await sleep(100)
      expect(logger.errors.join('\n')).toMatch(/RabbitMQ connection closed; the adapter reconnects/)
      await later(registry.RecordJob as never, ['after'])
      for (let i = 0; i < 100 && !ran.includes('after'); i++) await sleep(100)
      expect(ran).toEqual(['before', 'after'])
    } finally {
      worker.stop()
      await running
    }
  })

  it("refuses a worker whose maxRuntime is longer than RabbitMQ's consumer_timeout", async () => {
    const adapter = newAdapter({ consumerTimeoutSeconds: 1800 })
    await expect(find(adapter, { staleAfterSeconds: 14_400 })).rejects.toThrow(
      /maxRuntime \(14400 s\) is longer than RabbitMQ's consumer_timeout \(1800 s\).*maxRuntime: 1800/s,
    )
    expect(await find(adapter, { staleAfterSeconds: 1800 })).toEqual([])
  })

  it('stops a worker whose maxRuntime it refuses, instead of logging the refusal every sleepDelay for ever', async () => {
    const logger = quietLogger()
    const adapter = newAdapter({ logger, consumerTimeoutSeconds: 1800 })
    const worker = new Worker({
      adapter,
      loadJob: () => {
        throw new Error('no job should be loaded')
      },
      logger,
      processName: 'host:jobs-kit-worker.default.0',
      queues: ['default'],
      maxAttempts: 3,
      maxRuntimeSeconds: 14_400,
      sleepDelaySeconds: 0.05,
      deleteFailedJobs: false,
      deleteSuccessfulJobs: true,
      concurrency: 1,
      mode: 'work',
    })
    const exit = await Promise.race([worker.run(), sleep(10_000).then(() => 'still running after 10 s')])
    if (exit === 'still running after 10 s') worker.stop({ atOnce: true })
    expect(exit).toBe('failed')
    expect(logger.errors).toHaveLength(1)
    expect(logger.errors[0]).toMatch(/stops: its adapter refuses its settings.*consumer_timeout \(1800 s\)/s)
  })

  it('refuses a transaction client, and a worker on * without the queue names', async () => {
    const adapter = newAdapter()
    await expect(adapter.schedule({ handler: handler(), queue: 'default', priority: 50, runAt: new Date(), db: {} })).rejects.toThrow(
      /cannot store a job inside your database transaction.*after the transaction commits/s,
    )
    const unnamed = new RabbitMQAdapter({ url: vhost.url, logger: quietLogger() })
    opened.push(unnamed)
    await expect(find(unnamed)).rejects.toThrow(/needs the names of your queues.*queues: \['default'/s)
  })

  it('refuses a job for a queue its queues leave out, which a worker on *, status and clear would never see', async () => {
    const adapter = newAdapter()
    await expect(schedule(adapter, { queue: 'reports' })).rejects.toThrow(/queue "reports".*queues: \['default', 'email', 'other'\]/s)
    expect(await find(adapter)).toEqual([])
    // Without the list, any queue is taken: its workers name their queues.
    const unnamed = new RabbitMQAdapter({ url: vhost.url, logger: quietLogger() })
    opened.push(unnamed)
    const id = await schedule(unnamed, { queue: 'reports' })
    expect((await eventually(() => find(unnamed, { queues: ['reports'] }), 5000)).map((job) => job.id)).toEqual([id])
  })

  it('clears ready, delayed, failed and held jobs of the given queues and counts them', async () => {
    const adapter = newAdapter()
    await schedule(adapter, { queue: 'email' })
    await schedule(adapter, { queue: 'email', runAt: secondsFromNow(600) })
    await schedule(adapter, { queue: 'other' })
    await schedule(adapter, { queue: 'default' })
    const [held] = await find(adapter, { queues: ['default'] })
    expect(await adapter.clear({ queues: ['email', 'default'] })).toBe(3)
    // The held job was cleared: its late outcome changes nothing.
    await adapter.error({ job: held!, error: new Error('late'), retryAt: new Date() })
    expect((await find(adapter, { limit: 10 })).map((job) => job.queue)).toEqual(['other'])
  })

  it('gives back a job found but not run (release) without counting the attempt', async () => {
    const adapter = newAdapter()
    const id = await schedule(adapter)
    const [job] = await find(adapter)
    await adapter.release({ jobs: [job!] })
    const [again] = await eventually(() => find(newAdapter(), { processName: 'host:worker.1' }), 10_000)
    expect(again).toMatchObject({ id, attempts: 1 })
  })

  it('sends round a job that reaches the ready queue before its runAt, and moves a message that is no job to the failed queue', async () => {
    const adapter = newAdapter()
    await schedule(adapter) // declares the queues
    await adapter.clear({ queues: ['default'] })
    // What a delay past the 28 levels (8.5 years) looks like when it leaves them, or a producer's clock ahead.
    const connection = await amqplib.connect(vhost.url)
    try {
      const channel = await connection.createConfirmChannel()
      const early = { id: 42, handler: JSON.stringify(handler()), queue: 'default', priority: 50, runAt: secondsFromNow(3600).toISOString(), attempts: 0, lastError: null, failedAt: null, createdAt: new Date().toISOString() }
      channel.sendToQueue('jobs-kit.default', Buffer.from(JSON.stringify(early)), { persistent: true })
      channel.sendToQueue('jobs-kit.default', Buffer.from('not json'), { persistent: true })
      await channel.waitForConfirms()
    } finally {
      await connection.close()
    }
    expect(await find(adapter, { limit: 5 })).toEqual([])
    expect((await adapter.status()).find((each) => each.queue === 'default')).toMatchObject({ waiting: 0, scheduled: 1, failed: 1 })
  })

  it('gives the job of a SIGKILLed worker process to another worker at once, its run counted', async () => {
    const adapter = newAdapter()
    const id = await schedule(adapter)
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/rabbitmq-holder-child.ts'], {
      cwd: REPO,
      env: { ...process.env, JOBS_KIT_RABBITMQ_CHILD: JSON.stringify({ url: vhost.url, queues: ['default'] }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      let stdout = ''
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          stdout += chunk
          if (stdout.includes('held ')) resolve()
        })
        child.on('exit', (code) => reject(new Error(`the holder child exited (${code}) before it held a job`)))
      })
      expect(stdout).toContain(`held ${id}`)
      // Held by the child: nobody else gets it.
      expect(await find(adapter, { queues: ['default'] })).toEqual([])
      child.kill('SIGKILL')
      const [again] = await eventually(() => find(adapter, { queues: ['default'] }), 20_000)
      expect(again).toMatchObject({ id, attempts: 2 })
    } finally {
      child.kill('SIGKILL')
    }
  })

  it("RabbitMQ's consumer_timeout takes a job from a worker still running it (why maxRuntime must stay below it)", { timeout: 240_000 }, async () => {
    // consumer_timeout is global to the broker. RabbitMQ 3.10 reads it when
    // a channel opens and checks it on the channel's tick, once a minute. So
    // the test lowers it to 2 s only while the adapter opens its consuming
    // channel (about a second: the other RabbitMQ suites, running in
    // parallel, open theirs at other moments), puts the default (30 min)
    // back, and waits for the tick.
    const logger = quietLogger()
    const adapter = newAdapter({ logger, consumerTimeoutSeconds: 2 })
    const id = await schedule(adapter)
    let job: StoredJob | undefined
    await rabbitmqctlEval('application:set_env(rabbit, consumer_timeout, 2000).')
    try {
      ;[job] = await find(adapter, { staleAfterSeconds: 2 })
    } finally {
      await rabbitmqctlEval('application:set_env(rabbit, consumer_timeout, 1800000).')
    }
    expect(job).toMatchObject({ id, attempts: 1 })
    for (let i = 0; i < 1500 && !logger.errors.some((each) => /timed out/.test(each)); i++) await sleep(100)
    expect(logger.errors.join('\n')).toMatch(/delivery acknowledgement on channel \d+ timed out/)
    // The run in hand can no longer record its outcome (a warning says so)…
    await adapter.success({ job: job!, deleteJob: true })
    expect(logger.warnings.join('\n')).toMatch(/job \d+ can no longer be acknowledged.*runs again/s)
    // …and the job is handed out again, its interrupted run counted: the adapter kept consuming.
    const [again] = await eventually(() => find(adapter, { staleAfterSeconds: 2 }), 20_000)
    expect(again).toMatchObject({ id, attempts: 2 })
    await adapter.success({ job: again!, deleteJob: true })
  })
})

async function rabbitmqctlEval(expression: string): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    execFile('rabbitmqctl', ['-q', 'eval', expression], (error) => (error ? reject(error) : resolve())),
  )
}
