/** jobs-kit harness: lands with the runtime (manager, adapter, runner). */
import type { Provider } from '../lib/databases.js'
import type { QueueSystem } from '../lib/queue-system.js'

export async function createJobsKit(provider: Provider): Promise<QueueSystem> {
  throw new Error(`jobs-kit harness for ${provider}: pending (the runtime has not landed yet)`)
}
