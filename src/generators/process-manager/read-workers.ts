import { execFile } from 'node:child_process'
import type { WorkerDescription } from '../../runtime/runner/worker-specs.js'
import { ReadWorkersError } from './errors.js'
import type { RunnerInvocation } from './runner-invocation.js'

/** Loading a TypeScript config through tsx on a loaded machine takes a few seconds; this is far beyond that. */
const READ_WORKERS_TIMEOUT_MS = 120_000

/**
 * The workers the app's runner would `start` (or the `-n` set), asked of the
 * runner itself (`<jobs script> workers -n …`), so the process manager gets
 * exactly the names and settings the runner resolves from the jobs config:
 * counts expanded, ids numbered per queue, `-n` entries taking the settings
 * of the configured worker of their queue.
 */
export async function readWorkers(root: string, runner: RunnerInvocation, workerSet?: string): Promise<WorkerDescription[]> {
  const args = [...runner.nodeArgs, runner.script, '--config', runner.config, ...runner.extraArgs, 'workers', ...(workerSet === undefined ? [] : ['-n', workerSet])]
  const shown = ['node', ...args].join(' ')
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...process.env, ...runner.env }, timeout: READ_WORKERS_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    )
  })
  if (result.code !== 0) {
    const output = `${result.stderr}\n${result.stdout}`
    const advice = /Unknown command "workers"/.test(output)
      ? 'The app\'s vendored runtime predates the `workers` command: run `jobs-kit update` to bring in this version\'s runtime, then this command again.'
      : /-n/.test(output) && workerSet !== undefined
        ? 'Fix -n (e.g. -n 2, -n email:2, -n default:2,email:4), or leave it out to use the workers of your jobs config.'
        : 'jobs-kit reads the workers from your jobs config, so the config must load here: fix the error above ' +
          '(a missing environment variable such as DATABASE_URL: export it, or add --env-file to the jobs script), ' +
          'then check with `npm run jobs -- workers`.'
    throw new ReadWorkersError(shown, output, advice)
  }
  // The runner prints the JSON as its last line; a config may log before it.
  const lastLine = result.stdout.trim().split('\n').pop() ?? ''
  try {
    const workers = JSON.parse(lastLine) as WorkerDescription[]
    if (Array.isArray(workers)) return workers
  } catch {
    // Reported below.
  }
  throw new ReadWorkersError(
    shown,
    `it printed something other than the workers' JSON:\n${result.stdout}`,
    'Run `npm run jobs -- workers` to see what it prints; the last line must be the JSON list of workers.',
  )
}
