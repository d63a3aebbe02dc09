import { AdapterSettingsError, JobsKitError } from '../../errors.js'

/** A worker's `maxRuntime` longer than the broker's `consumer_timeout`. */
export class ConsumerTimeoutError extends AdapterSettingsError {
  constructor(readonly maxRuntimeSeconds: number, readonly consumerTimeoutSeconds: number) {
    super(
      'RABBITMQ_CONSUMER_TIMEOUT',
      `RabbitMQAdapter: this worker's maxRuntime (${maxRuntimeSeconds} s) is longer than RabbitMQ's consumer_timeout ` +
        `(${consumerTimeoutSeconds} s). RabbitMQ closes the channel of a delivery not acknowledged within consumer_timeout ` +
        `and hands the job to another worker while this one still runs it. Set maxRuntime to ${consumerTimeoutSeconds} or less ` +
        `on the workers of this adapter (workers: [{ adapter, maxRuntime: ${consumerTimeoutSeconds} }] in your jobs config), ` +
        `or raise consumer_timeout in rabbitmq.conf and pass the same value as new RabbitMQAdapter({ consumerTimeoutSeconds }).`,
    )
  }
}

/** A `'*'` worker, `clear()` or `status()` on an adapter that was not told the queue names. */
export class RabbitMQQueuesUnknownError extends AdapterSettingsError {
  constructor(where: string) {
    super(
      'RABBITMQ_QUEUES_UNKNOWN',
      `RabbitMQAdapter: ${where} needs the names of your queues, which RabbitMQ cannot list over AMQP. ` +
        `Pass them: new RabbitMQAdapter({ url, queues: ['default', …] }) (the same list as \`queues\` in your jobs config).`,
    )
  }
}

/** The channel that delivered a job closed before its outcome was recorded: RabbitMQ delivers the job again (logged as a warning). */
export class DeliveryLostError extends JobsKitError {
  constructor(readonly jobId: number, reason: string) {
    super(
      'RABBITMQ_DELIVERY_LOST',
      `RabbitMQAdapter: job ${jobId} can no longer be acknowledged (${reason}). RabbitMQ put it back in its queue ` +
        `when the channel closed, so it runs again; the outcome of this run is not recorded. Make jobs idempotent.`,
    )
  }
}

/** A job for a queue missing from the adapter's `queues`: workers on `'*'`, `status` and `clear` would never see it. */
export class RabbitMQQueueNotListedError extends JobsKitError {
  constructor(queue: string, queues: readonly string[]) {
    super(
      'RABBITMQ_QUEUE_NOT_LISTED',
      `RabbitMQAdapter: queue "${queue}" is not in the adapter's queues: [${queues.map((each) => `'${each}'`).join(', ')}]. ` +
        `A worker on '*', status and clear go by that list, so this job would sit in RabbitMQ unseen. ` +
        `Add it: new RabbitMQAdapter({ url, queues }) with the same list as \`queues\` in your jobs config.`,
    )
  }
}
