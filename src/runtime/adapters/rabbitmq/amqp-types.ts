/**
 * The few parts of `amqplib` (an optional peer) the RabbitMQ adapter uses,
 * written out so the vendored runtime type-checks in an app that does not
 * install `amqplib` (its own types would then be missing).
 */
export interface AmqpMessage {
  content: Buffer
  fields: { deliveryTag: number; redelivered: boolean; routingKey: string }
  properties: { priority?: number; headers?: Record<string, unknown> }
}

export interface PublishOptions {
  persistent?: boolean
  priority?: number
  headers?: Record<string, unknown>
  contentType?: string
}

export interface AmqpChannel {
  assertQueue(queue: string, options?: { durable?: boolean; arguments?: Record<string, unknown> }): Promise<{ messageCount: number; consumerCount: number }>
  checkQueue(queue: string): Promise<{ messageCount: number; consumerCount: number }>
  purgeQueue(queue: string): Promise<{ messageCount: number }>
  assertExchange(exchange: string, type: string, options?: { durable?: boolean; arguments?: Record<string, unknown> }): Promise<unknown>
  bindQueue(queue: string, exchange: string, pattern: string, args?: Record<string, unknown>): Promise<unknown>
  bindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<unknown>
  prefetch(count: number, global?: boolean): Promise<unknown>
  consume(queue: string, onMessage: (message: AmqpMessage | null) => void, options?: { noAck?: boolean }): Promise<{ consumerTag: string }>
  cancel(consumerTag: string): Promise<unknown>
  ack(message: AmqpMessage): void
  nack(message: AmqpMessage, allUpTo?: boolean, requeue?: boolean): void
  close(): Promise<void>
  on(event: 'close', listener: () => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
}

export interface AmqpConfirmChannel extends AmqpChannel {
  publish(exchange: string, routingKey: string, content: Buffer, options: PublishOptions, callback: (error: unknown) => void): boolean
  waitForConfirms(): Promise<void>
}

export interface AmqpConnection {
  createChannel(): Promise<AmqpChannel>
  createConfirmChannel(): Promise<AmqpConfirmChannel>
  close(): Promise<void>
  on(event: 'close', listener: (error?: Error) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
}

export interface AmqplibModule {
  connect(url: string): Promise<AmqpConnection>
}
