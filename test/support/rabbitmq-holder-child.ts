/**
 * A worker process that takes one job from RabbitMQ and never finishes it,
 * for the tests that SIGKILL a worker mid-job. Reads `{ url, queues }` from
 * JOBS_KIT_RABBITMQ_CHILD, prints `held <id>` once it holds a job.
 */
import { RabbitMQAdapter } from '../../src/runtime/adapters/rabbitmq/rabbitmq-adapter.js'

const { url, queues } = JSON.parse(process.env.JOBS_KIT_RABBITMQ_CHILD ?? '{}') as { url: string; queues: string[] }
const adapter = new RabbitMQAdapter({ url, queues })
for (;;) {
  const [job] = await adapter.find({ processName: 'child-host:jobs-kit-worker.0', staleAfterSeconds: 60, queues, limit: 1 })
  if (job) {
    process.stdout.write(`held ${job.id}\n`)
    break
  }
  await new Promise((resolve) => setTimeout(resolve, 100))
}
// Holds the job (unacknowledged) until killed.
setInterval(() => {}, 60_000)
