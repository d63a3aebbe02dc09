import type { WorkerDescription } from '../../runtime/runner/worker-specs.js'
import type { RunnerInvocation } from './runner-invocation.js'

/**
 * The runner's arguments for one worker run by hand: `--config <config>
 * --id <id> --queue <queue> --adapter <adapter>`. Its other settings
 * (maxAttempts, sleepDelay, …) come from the jobs config's worker of the same
 * queue when it starts, so editing them there needs no new process-manager
 * file; `--adapter` is passed because two configured workers of one queue
 * may use different adapters.
 */
export function workerArgs(runner: RunnerInvocation, worker: WorkerDescription): string[] {
  return [
    '--config',
    runner.config,
    ...runner.extraArgs,
    '--id',
    String(worker.id),
    '--queue',
    worker.queue === '*' ? '*' : worker.queue.join(','),
    '--adapter',
    worker.adapter,
  ]
}
