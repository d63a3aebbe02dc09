/**
 * The RabbitMQ adapter as a conformance target: a vhost of its own
 * (test/support/rabbitmq.ts), deleted at teardown, and for the contention
 * test's processes a `createAdapter(config)` with a connection of its own.
 */
import { fileURLToPath } from 'node:url'
import { RabbitMQAdapter } from '../../../src/runtime/adapters/rabbitmq/rabbitmq-adapter.js'
import { createTestVhost } from '../../support/rabbitmq.js'
import type { ConformanceTarget } from '../define-adapter-conformance.js'

/** Every queue the suite schedules to: AMQP cannot list queues, so `'*'` workers and `status` are told them. */
const QUEUES = ['default', 'email', 'reports', 'other', 'a', 'b', 'c', 'kept', 'deleted']

export async function rabbitmqTarget(): Promise<ConformanceTarget> {
  const vhost = await createTestVhost()
  return {
    createAdapter: ({ logger } = {}) => new RabbitMQAdapter({ url: vhost.url, queues: QUEUES, logger }),
    child: { module: fileURLToPath(import.meta.url), config: { url: vhost.url } },
    teardown: () => vhost.drop(),
  }
}

/** For the contention test's processes. */
export async function createAdapter({ url }: { url: string }): Promise<RabbitMQAdapter> {
  // The contention child passes a stale threshold of an hour, which this
  // adapter reads as the worker's maxRuntime; its jobs take milliseconds.
  return new RabbitMQAdapter({ url, queues: QUEUES, consumerTimeoutSeconds: 3600 })
}
