import { Volume } from 'memfs'
import { describe, expect, it } from 'vitest'
import type { WorkerDescription } from '../../runtime/runner/worker-specs.js'
import { createStagedTree } from '../../tree/staged-tree.js'
import type { TreeFs } from '../../tree/tree-fs.js'
import { ECOSYSTEM_PATH, instanceName, parseJobsScript, planPm2, planSystemd, STOP_MARGIN_SECONDS, SYSTEMD_UNIT_PATH } from './index.js'

const workers: WorkerDescription[] = [
  { title: 'jobs-kit-worker.default.0', id: 0, queue: ['default'], adapter: 'prisma', maxRuntime: 14_400 },
  { title: 'jobs-kit-worker.default.1', id: 1, queue: ['default'], adapter: 'prisma', maxRuntime: 14_400 },
  { title: 'jobs-kit-worker.email+sms-out.0', id: 0, queue: ['email', 'sms-out'], adapter: 'redis', maxRuntime: 60 },
  { title: 'jobs-kit-worker.all.0', id: 0, queue: '*', adapter: 'prisma', maxRuntime: 300 },
]
const runner = parseJobsScript('node --import tsx src/lib/jobs-kit/runner/cli.ts --config src/lib/jobs.ts')

function appTree(files: Record<string, string> = {}) {
  const vol = Volume.fromJSON({ '/app/package.json': JSON.stringify({ name: '@acme/shop' }), ...prefixed(files) })
  return { vol, tree: createStagedTree({ root: '/app', fs: vol as unknown as TreeFs }) }
}
const prefixed = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([path, text]) => [`/app/${path}`, text]))

describe('the jobs script, read for a process manager', () => {
  it('takes the node flags, the runner and the config of each form setup writes', () => {
    expect(runner).toEqual({ nodeArgs: ['--import', 'tsx'], script: 'src/lib/jobs-kit/runner/cli.ts', config: 'src/lib/jobs.ts', extraArgs: [], env: {} })
    expect(parseJobsScript('node lib/jobs-kit/runner/cli.js --config lib/jobs.js')).toMatchObject({ nodeArgs: [], script: 'lib/jobs-kit/runner/cli.js' })
    expect(parseJobsScript('node --env-file .env --import tsx src/lib/jobs-kit/runner/cli.ts --config src/lib/jobs.ts --logger info'))
      .toMatchObject({ nodeArgs: ['--env-file', '.env', '--import', 'tsx'], extraArgs: ['--logger', 'info'] })
  })

  it('turns the tsx command (RedwoodJS) into tsx\'s loader with TSX_TSCONFIG_PATH, so the process manager signals the worker itself', () => {
    expect(parseJobsScript('tsx --tsconfig api/tsconfig.json api/src/lib/jobs-kit/runner/cli.ts --config api/src/lib/jobs.ts')).toEqual({
      nodeArgs: ['--import', 'tsx'],
      script: 'api/src/lib/jobs-kit/runner/cli.ts',
      config: 'api/src/lib/jobs.ts',
      extraArgs: [],
      env: { TSX_TSCONFIG_PATH: 'api/tsconfig.json' },
    })
  })

  it('refuses a script that is not the runner, saying what form it needs', () => {
    expect(() => parseJobsScript('dotenv -- node src/lib/jobs-kit/runner/cli.js --config src/lib/jobs.js')).toThrow(/does not start with node or tsx/)
    expect(() => parseJobsScript('node worker.js')).toThrow(/does not run the vendored runner/)
    expect(() => parseJobsScript('node src/lib/jobs-kit/runner/cli.js')).toThrow(/does not pass --config/)
  })
})

describe('setup pm2', () => {
  it('plans one fork-mode app per worker, waiting maxRuntime plus the margin before SIGKILL', () => {
    const { tree } = appTree()
    const plan = planPm2(tree, { workers, runner, force: false })
    expect(plan.outcome).toBe('create')
    const file = tree.read(ECOSYSTEM_PATH)!
    expect(file).toMatchSnapshot()
    expect(file).toContain(`kill_timeout: ${(14_400 + STOP_MARGIN_SECONDS) * 1000},`)
    expect(file).toContain(`kill_timeout: ${(60 + STOP_MARGIN_SECONDS) * 1000},`)
    expect(file).toContain("name: 'acme-shop.jobs-kit-worker.email+sms-out.0'")
    expect(file).toContain("args: ['--import', 'tsx', 'src/lib/jobs-kit/runner/cli.ts', '--config', 'src/lib/jobs.ts', '--id', '0', '--queue', 'email,sms-out', '--adapter', 'redis']")
  })

  it('keeps kill_timeout inside a Node timer for the largest maxRuntime (a longer one fires at once)', () => {
    const { tree } = appTree()
    planPm2(tree, { workers: [{ ...workers[0]!, maxRuntime: 2_147_483 }], runner, force: false })
    expect(tree.read(ECOSYSTEM_PATH)).toContain('kill_timeout: 2147483647,')
  })

  it('is a valid CommonJS module whose apps pm2 can read', () => {
    const { tree } = appTree()
    planPm2(tree, { workers, runner, force: false })
    const module = { exports: {} as { apps: Record<string, unknown>[] } }
    new Function('module', '__dirname', tree.read(ECOSYSTEM_PATH)!)(module, '/srv/shop')
    expect(module.exports.apps.map((app) => app.name)).toEqual([
      'acme-shop.jobs-kit-worker.default.0', 'acme-shop.jobs-kit-worker.default.1', 'acme-shop.jobs-kit-worker.email+sms-out.0', 'acme-shop.jobs-kit-worker.all.0',
    ])
    expect(module.exports.apps[3]).toMatchObject({
      script: 'node', interpreter: 'none', exec_mode: 'fork', cwd: '/srv/shop', wait_ready: true, autorestart: true,
      env: { NODE_ENV: 'production' }, kill_timeout: (300 + STOP_MARGIN_SECONDS) * 1000,
    })
    expect(module.exports.apps[3]!.exp_backoff_restart_delay).toBeGreaterThan(0)
  })

  it('changes nothing when run again, and refuses to overwrite an edited file without force', () => {
    const first = appTree()
    planPm2(first.tree, { workers, runner, force: false })
    const written = first.tree.read(ECOSYSTEM_PATH)!

    const again = appTree({ [ECOSYSTEM_PATH]: written })
    expect(planPm2(again.tree, { workers, runner, force: false }).outcome).toBe('skip')
    expect(again.tree.changes()).toEqual([])

    const edited = appTree({ [ECOSYSTEM_PATH]: written.replace('autorestart: true', 'autorestart: false') })
    expect(planPm2(edited.tree, { workers, runner, force: false }).outcome).toBe('conflict')
    expect(edited.tree.conflicts().map((conflict) => conflict.path)).toEqual([ECOSYSTEM_PATH])
    expect(planPm2(appTree({ [ECOSYSTEM_PATH]: 'x' }).tree, { workers, runner, force: true }).outcome).toBe('update')
  })
})

describe('setup systemd', () => {
  it('plans one template unit: SIGINT, TimeoutStopSec past the longest maxRuntime, restart on failure', () => {
    const { tree } = appTree()
    const plan = planSystemd(tree, { workers, runner, force: false, nodePath: '/usr/bin/node' })
    const unit = tree.read(SYSTEMD_UNIT_PATH)!
    expect(unit).toMatchSnapshot()
    expect(unit).toMatch(/^KillSignal=SIGINT$/m)
    expect(unit).toMatch(new RegExp(`^TimeoutStopSec=${14_400 + STOP_MARGIN_SECONDS}$`, 'm'))
    expect(unit).toMatch(/^Restart=on-failure$/m)
    expect(unit).toMatch(/^WorkingDirectory=\/app$/m)
    expect(unit).toMatch(/^EnvironmentFile=-\/app\/\.env$/m)
    expect(plan.howTo.join('\n')).toContain(
      "sudo systemctl enable --now jobs-kit-worker@default.0 jobs-kit-worker@default.1 'jobs-kit-worker@email\\x2bsms\\x2dout.0' jobs-kit-worker@all.0",
    )
  })

  it('names instances as systemd-escape does: + and - escaped, every queue as all', () => {
    expect(workers.map(instanceName)).toEqual(['default.0', 'default.1', 'email\\x2bsms\\x2dout.0', 'all.0'])
  })

  it('keeps the TSX_TSCONFIG_PATH a RedwoodJS jobs script needs', () => {
    const { tree } = appTree()
    const redwood = parseJobsScript('tsx --tsconfig api/tsconfig.json api/src/lib/jobs-kit/runner/cli.ts --config api/src/lib/jobs.ts')
    planSystemd(tree, { workers, runner: redwood, force: false, nodePath: '/usr/bin/node' })
    expect(tree.read(SYSTEMD_UNIT_PATH)).toMatch(/^Environment=TSX_TSCONFIG_PATH=api\/tsconfig.json$/m)
  })
})

describe('setup systemd, refusing what a unit instance cannot say', () => {
  it('refuses workers of the same queues on different adapters, pointing at setup pm2', () => {
    const { tree } = appTree()
    const mixed: WorkerDescription[] = [
      { title: 'jobs-kit-worker.all.0', id: 0, queue: '*', adapter: 'prisma', maxRuntime: 60 },
      { title: 'jobs-kit-worker.all.1', id: 1, queue: '*', adapter: 'redis', maxRuntime: 60 },
    ]
    expect(() => planSystemd(tree, { workers: mixed, runner, force: false, nodePath: '/usr/bin/node' })).toThrow(/different adapters/)
    expect(tree.changes()).toEqual([])
  })
})
