import type { WorkerDescription } from '../../runtime/runner/worker-specs.js'
import type { Tree } from '../../tree/tree.js'
import { writeOrConflict, type WriteOutcome } from '../../tree/write-or-conflict.js'
import { readAppName } from './app-name.js'
import type { RunnerInvocation } from './runner-invocation.js'
import { stopWindowSeconds } from './stop-window.js'
import { workerArgs } from './worker-args.js'

/** Where `setup pm2` writes the ecosystem file: `.cjs`, so it loads in ESM and CommonJS apps alike. */
export const ECOSYSTEM_PATH = 'ecosystem.config.cjs'

/**
 * Milliseconds pm2 waits for a worker's 'ready' before it counts it online
 * anyway. pm2's default, 3 s, is shorter than loading a TypeScript config
 * through tsx (and syncing recurring entries) can take on a busy machine.
 */
export const PM2_LISTEN_TIMEOUT_MS = 60_000

/**
 * First delay of pm2's restart backoff, in ms: it grows by half on each restart
 * that follows a crash (up to 15 s) and resets once the process stays up
 * 30 s, so a worker whose database is down does not restart in a tight loop.
 */
export const PM2_RESTART_BACKOFF_MS = 100

/**
 * pm2 waits `kill_timeout` with a Node timer, which fires at once past
 * 2³¹−1 ms (about 24.8 days): a worker with the largest `maxRuntime` would
 * be SIGKILLed on every stop instead of never.
 */
const MAX_TIMEOUT_MS = 2_147_483_647

export interface ProcessManagerPlanOptions {
  workers: WorkerDescription[]
  runner: RunnerInvocation
  force: boolean
  /** The `-n` set the workers came from, to show in the file's header. */
  workerSet?: string
}

export interface ProcessManagerPlan {
  path: string
  outcome: WriteOutcome
  /** What to run next, one line each. */
  howTo: string[]
}

/**
 * `jobs-kit setup pm2`: one pm2 app per worker, in fork mode (pm2's cluster
 * mode shares a server port, which workers do not have, and would give every
 * instance the same name). pm2 stops an app with SIGINT, the worker's
 * graceful stop, and SIGKILLs it `kill_timeout` ms later.
 *
 * The app's script is `node` itself (`interpreter: 'none'`), with the `jobs`
 * script's flags: with `interpreter: 'node'` pm2 loads the runner through its
 * own wrapper, which on Node < 22.18 looks for ts-node for any `.ts` script
 * and logs "TypeScript support unavailable" at every start even though tsx's
 * loader already handles it. pm2 gives the process an IPC channel either way,
 * which `wait_ready` needs.
 */
export function planPm2(tree: Tree, options: ProcessManagerPlanOptions): ProcessManagerPlan {
  const outcome = writeOrConflict(tree, ECOSYSTEM_PATH, renderEcosystem(tree, options), { force: options.force })
  return {
    path: ECOSYSTEM_PATH,
    outcome,
    howTo: [
      `npx pm2 start ${ECOSYSTEM_PATH}      start the workers (again after a deploy: npx pm2 reload ${ECOSYSTEM_PATH})`,
      `npx pm2 stop ${ECOSYSTEM_PATH}       stop them: each finishes the jobs in hand first`,
      'npx pm2 logs                              their output',
      'npx pm2 save && npx pm2 startup           start them at boot',
    ],
  }
}

function renderEcosystem(tree: Tree, { workers, runner, workerSet }: ProcessManagerPlanOptions): string {
  const appName = readAppName(tree)
  const apps = workers.map((worker) => renderApp(worker, runner, appName))
  const from = workerSet === undefined ? `the workers of ${runner.config}` : `-n ${workerSet}`
  return `// pm2 processes for this app's jobs-kit workers, written by \`jobs-kit setup pm2\` from ${from}.
// Run it again after changing the workers (it shows a diff, and keeps your edits unless --force).
//   npx pm2 start ${ECOSYSTEM_PATH}   npx pm2 stop ${ECOSYSTEM_PATH}   (see docs/deployment.md of jobs-kit)
// Each worker's other settings (maxAttempts, sleepDelay, …) come from the jobs config when it starts.
module.exports = {
  apps: [
${apps.join('\n')}
  ],
}
`
}

function renderApp(worker: WorkerDescription, runner: RunnerInvocation, appName: string | undefined): string {
  const stopSeconds = stopWindowSeconds(worker)
  const lines = [
    `name: ${js(appName === undefined ? worker.title : `${appName}.${worker.title}`)},`,
    '// node runs the runner exactly as the app\'s `jobs` script does (tsx\'s loader for TypeScript).',
    `script: 'node',`,
    `args: ${js([...runner.nodeArgs, runner.script, ...workerArgs(runner, worker)])},`,
    `interpreter: 'none',`,
    'cwd: __dirname,',
    `exec_mode: 'fork',`,
    'instances: 1,',
    `env: ${js({ NODE_ENV: 'production', ...runner.env })},`,
    '// The worker sends pm2 \'ready\' once it polls for jobs.',
    'wait_ready: true,',
    `listen_timeout: ${PM2_LISTEN_TIMEOUT_MS},`,
    `// pm2 stops with SIGINT: the worker finishes its jobs in hand (at most maxRuntime, ${worker.maxRuntime} s), then exits.`,
    `// SIGKILL only after ${stopSeconds} s; a killed job is not lost, it runs again from the start.`,
    `kill_timeout: ${Math.min(stopSeconds * 1000, MAX_TIMEOUT_MS)},`,
    'autorestart: true,',
    `exp_backoff_restart_delay: ${PM2_RESTART_BACKOFF_MS},`,
  ]
  return `    {\n${lines.map((line) => `      ${line}`).join('\n')}\n    },`
}

/** A value as JavaScript source, single-quoted like the rest of the file. */
function js(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
  if (Array.isArray(value)) return `[${value.map(js).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : js(key)}: ${js(item)}`).join(', ')} }`
  }
  return String(value)
}
