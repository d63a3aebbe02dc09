/**
 * A RabbitMQ vhost of its own for each test file: `createTestVhost()` adds
 * one (`rabbitmqctl add_vhost`, the management API is not enabled here) and
 * gives guest every permission on it; `drop()` deletes it with everything
 * declared in it.
 *
 * Server: JOBS_KIT_TEST_AMQP_URL (default amqp://guest:guest@127.0.0.1:5672),
 * managed through `rabbitmqctl` on this machine. A broker that cannot be
 * reached is an error, never a skipped test.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'

const run = promisify(execFile)
const SERVER_URL = process.env.JOBS_KIT_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'

export interface TestVhost {
  name: string
  /** The broker URL with this vhost. */
  url: string
  /** `rabbitmqctl` with `-p <vhost>` appended, e.g. `ctl('close_all_connections', 'test')`. */
  rabbitmqctl(...args: string[]): Promise<string>
  drop(): Promise<void>
}

async function rabbitmqctl(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('rabbitmqctl', ['-q', ...args], { timeout: 60_000 })
    return stdout
  } catch (error) {
    throw new Error(
      `rabbitmqctl ${args.join(' ')} failed: is RabbitMQ running on this machine (rabbitmqctl await_startup)? ${(error as Error).message}`,
    )
  }
}

export async function createTestVhost(): Promise<TestVhost> {
  const name = `jobs-kit-test-${randomBytes(4).toString('hex')}`
  await rabbitmqctl('add_vhost', name)
  await rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*')
  return {
    name,
    url: `${SERVER_URL}/${encodeURIComponent(name)}`,
    rabbitmqctl: (...args: string[]) => rabbitmqctl(...args, '-p', name),
    drop: async () => {
      await rabbitmqctl('delete_vhost', name)
    },
  }
}
