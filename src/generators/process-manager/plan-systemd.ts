import type { WorkerDescription } from '../../runtime/runner/worker-specs.js'
import type { Tree } from '../../tree/tree.js'
import { writeOrConflict } from '../../tree/write-or-conflict.js'
import type { ProcessManagerPlan, ProcessManagerPlanOptions } from './plan-pm2.js'
import { stopWindowSeconds } from './stop-window.js'
import { SystemdAdapterError, SystemdInstanceError } from './errors.js'

/** The template unit `setup systemd` writes at the app's root, to be copied to /etc/systemd/system/. */
export const SYSTEMD_UNIT_PATH = 'jobs-kit-worker@.service'

export interface SystemdPlanOptions extends ProcessManagerPlanOptions {
  /** Absolute path of node on the server (systemd does not search PATH the way a shell does). */
  nodePath: string
}

/**
 * `jobs-kit setup systemd`: one template unit, one instance per worker. The
 * instance names the worker the way its title does, `<queue label>.<id>`
 * (`default.0`, `all.0` for every queue, `default+email.0`), so names stay
 * stable across restarts and two instances never share one; `ExecStart`
 * turns it back into `--queue`/`--id`. systemd stops with `KillSignal`, SIGINT
 * here (finish the jobs in hand), and SIGKILLs after `TimeoutStopSec`.
 */
export function planSystemd(tree: Tree, options: SystemdPlanOptions): ProcessManagerPlan {
  checkOneAdapterPerQueueLabel(options.workers)
  const instances = options.workers.map(instanceName)
  const outcome = writeOrConflict(tree, SYSTEMD_UNIT_PATH, renderUnit(tree.root, options), { force: options.force })
  const units = instances.map((instance) => shellQuote(`jobs-kit-worker@${instance}`)).join(' ')
  return {
    path: SYSTEMD_UNIT_PATH,
    outcome,
    howTo: [
      `Check WorkingDirectory, User and EnvironmentFile in ${SYSTEMD_UNIT_PATH} for your server, then:`,
      `sudo cp ${shellQuote(SYSTEMD_UNIT_PATH)} /etc/systemd/system/ && sudo systemctl daemon-reload`,
      `sudo systemctl enable --now ${units}`,
      `sudo systemctl restart 'jobs-kit-worker@*'        after a deploy (each worker finishes its jobs in hand first)`,
      `journalctl -u 'jobs-kit-worker@*' -f             their logs`,
    ],
  }
}

/**
 * The unit instance for a worker: its queue label and id, escaped as
 * `systemd-escape` would (`+` is not allowed in unit names: `\x2b`); `%I`
 * in the unit gives the unescaped form back.
 */
export function instanceName(worker: WorkerDescription): string {
  const label = worker.queue === '*' ? 'all' : worker.queue.join('+')
  // A title's label is cut (`~<hash>`) past 80 characters; the instance must name every queue, so it is never cut.
  const name = `${label}.${worker.id}`
  if (name.length > 200) throw new SystemdInstanceError(worker.title)
  return name.replace(/[^A-Za-z0-9:_.]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/**
 * An instance names queues and id only; the runner then gives the worker the
 * settings, adapter included, of the first configured worker of those queues.
 * Workers of the same queues on different adapters cannot be told apart.
 */
function checkOneAdapterPerQueueLabel(workers: WorkerDescription[]): void {
  const first = new Map<string, WorkerDescription>()
  for (const worker of workers) {
    const label = worker.queue === '*' ? '*' : worker.queue.join(',')
    const earlier = first.get(label)
    if (earlier === undefined) first.set(label, worker)
    else if (earlier.adapter !== worker.adapter) throw new SystemdAdapterError(earlier, worker)
  }
}

function renderUnit(root: string, { workers, runner, workerSet, nodePath }: SystemdPlanOptions): string {
  const stopSeconds = Math.max(...workers.map(stopWindowSeconds))
  const longest = Math.max(...workers.map((worker) => worker.maxRuntime))
  const from = workerSet === undefined ? `the workers of ${runner.config}` : `-n ${workerSet}`
  // `%I` is `<queue label>.<id>`: the id follows the last dot, `all` is every queue, `+` joins several.
  // In a unit file `$$` is a literal `$` and `%%` a literal `%`, so the shell sees `${1%.*}` and `${1##*.}`.
  const command = [
    nodePath,
    ...runner.nodeArgs,
    runner.script,
    '--config',
    runner.config,
    ...runner.extraArgs,
  ].map(unitWord).join(' ')
  const shell =
    'label="$${1%%.*}"; id="$${1##*.}"; if [ "$$label" = all ]; then queue="*"; else queue="$$(echo "$$label" | tr + ,)"; fi; ' +
    `exec ${command} --id "$$id" --queue "$$queue"`
  return `# systemd template unit for this app's jobs-kit workers, written by \`jobs-kit setup systemd\` from ${from}.
# One instance per worker, named <queue>.<id> like its title: jobs-kit-worker@default.0, jobs-kit-worker@all.0
# (every queue), jobs-kit-worker@default\\x2bemail.0 (queues default and email; see systemd-escape).
# Install: sudo cp ${SYSTEMD_UNIT_PATH} /etc/systemd/system/ && sudo systemctl daemon-reload
#          sudo systemctl enable --now jobs-kit-worker@default.0
# Two apps on one server: rename the file (myapp-worker@.service) so their units differ.

[Unit]
Description=jobs-kit worker %I
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
# The app's folder on the server (where package.json is); this is where setup ran.
WorkingDirectory=${unitPath(root)}
# DATABASE_URL and the rest of the app's environment; the leading "-" lets the unit start without the file.
EnvironmentFile=-${unitPath(root)}/.env
Environment=NODE_ENV=production
${Object.entries(runner.env).map(([key, value]) => `Environment=${key}=${value}\n`).join('')}# Run as the app's user, not root:
#User=myapp
ExecStart=/bin/sh -c '${shell}' jobs-kit-worker %I
# SIGINT to the worker only: it finishes the jobs in hand (each at most maxRuntime, ${longest} s), then exits 0.
KillSignal=SIGINT
KillMode=mixed
# SIGKILL only after this; a killed job is not lost, it runs again from the start.
TimeoutStopSec=${stopSeconds}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
`
}

/** A word of ExecStart: `%` doubled (systemd specifiers), `$` doubled (its variable expansion), quoted for sh when needed. */
function unitWord(word: string): string {
  const quoted = /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\`$])/g, '\\$1')}"`
  return quoted.replace(/%/g, '%%').replace(/\$/g, '$$$$')
}

/** A path in a unit setting: systemd specifiers escaped. */
function unitPath(path: string): string {
  return path.replace(/%/g, '%%')
}

/** For the printed how-to: quoted for a POSIX shell when it holds anything but plain characters. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
