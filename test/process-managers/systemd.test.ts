/**
 * The unit `jobs-kit setup systemd` writes, checked by systemd's own parser
 * (`systemd-analyze verify`, from Debian's systemd package; .ci/run installs
 * it) and its ExecStart run the way systemd would run it for an instance:
 * specifiers and `$$` expanded, then `/bin/sh -c …` with a stand-in for node
 * that prints the arguments the runner would get.
 */
import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { parseJobsScript, planSystemd, SYSTEMD_UNIT_PATH, instanceName } from '../../src/generators/process-manager/index.js'
import type { WorkerDescription } from '../../src/runtime/runner/worker-specs.js'
import { commitTree } from '../../src/tree/commit-tree.js'
import { createStagedTree } from '../../src/tree/staged-tree.js'

const run = promisify(execFile)

const workers: WorkerDescription[] = [
  { title: 'jobs-kit-worker.default.0', id: 0, queue: ['default'], adapter: 'prisma', maxRuntime: 600 },
  { title: 'jobs-kit-worker.default.12', id: 12, queue: ['default'], adapter: 'prisma', maxRuntime: 600 },
  { title: 'jobs-kit-worker.email+sms-out.0', id: 0, queue: ['email', 'sms-out'], adapter: 'prisma', maxRuntime: 60 },
  { title: 'jobs-kit-worker.v1.reports.3', id: 3, queue: ['v1.reports'], adapter: 'prisma', maxRuntime: 60 },
  { title: 'jobs-kit-worker.all.0', id: 0, queue: '*', adapter: 'prisma', maxRuntime: 60 },
]

function hasSystemdAnalyze(): boolean {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('the systemd unit of setup systemd', () => {
  const appRoot = mkdtempSync(join(tmpdir(), 'jobs-kit-systemd-'))
  afterAll(() => rmSync(appRoot, { recursive: true, force: true }))
  // Stands in for node: prints the arguments it was given, one per line.
  const fakeNode = join(appRoot, 'fake-node')
  writeFileSync(fakeNode, '#!/bin/sh\nfor arg in "$@"; do echo "$arg"; done\n')
  chmodSync(fakeNode, 0o755)
  writeFileSync(join(appRoot, 'package.json'), '{"name":"shop"}')
  const tree = createStagedTree({ root: appRoot })
  const runner = parseJobsScript('node --import tsx src/lib/jobs-kit/runner/cli.ts --config src/lib/jobs.ts')
  const plan = planSystemd(tree, { workers, runner, force: false, nodePath: fakeNode })
  commitTree(tree)
  const unitPath = join(appRoot, SYSTEMD_UNIT_PATH)

  // Where it cannot run, it fails under CI (which installs it) instead of passing unseen.
  it.skipIf(!hasSystemdAnalyze() && process.env.CI !== 'true')('passes systemd-analyze verify as an instance, without a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-unit-'))
    try {
      for (const worker of workers) {
        const instance = join(dir, SYSTEMD_UNIT_PATH.replace('@.', `@${instanceName(worker)}.`))
        copyFileSync(unitPath, instance)
        const { stderr } = await run('systemd-analyze', ['verify', instance], { cwd: dir })
        expect(stderr.split('\n').filter((line) => line.includes('jobs-kit-worker'))).toEqual([])
      }
      // The check itself sees a broken unit.
      const broken = join(dir, 'jobs-kit-worker@broken.0.service')
      writeFileSync(broken, readFileSync(unitPath, 'utf8').replace('KillSignal=SIGINT', 'KillSignal=SIGNOPE'))
      const { stderr } = await run('systemd-analyze', ['verify', broken], { cwd: dir })
      expect(stderr).toMatch(/SIGNOPE/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('runs each instance as its worker: --id and --queue from the instance name', async () => {
    const unit = readFileSync(unitPath, 'utf8')
    const execStart = /^ExecStart=(.*)$/m.exec(unit)![1]!
    const expected: Record<string, string[]> = {
      'default.0': ['--id', '0', '--queue', 'default'],
      'default.12': ['--id', '12', '--queue', 'default'],
      'email\\x2bsms\\x2dout.0': ['--id', '0', '--queue', 'email,sms-out'],
      'v1.reports.3': ['--id', '3', '--queue', 'v1.reports'],
      'all.0': ['--id', '0', '--queue', '*'],
    }
    expect(workers.map(instanceName)).toEqual(Object.keys(expected))
    for (const [instance, workerFlags] of Object.entries(expected)) {
      const args = await runExecStart(execStart, instance, appRoot)
      expect(args).toEqual(['--import', 'tsx', 'src/lib/jobs-kit/runner/cli.ts', '--config', 'src/lib/jobs.ts', ...workerFlags])
    }
    expect(plan.howTo.join('\n')).toContain("jobs-kit-worker@default.0 jobs-kit-worker@default.12 'jobs-kit-worker@email\\x2bsms\\x2dout.0'")
  })
})

/**
 * ExecStart as systemd runs it for `instance`: `%I` is the unescaped instance
 * (systemd-escape --unescape), `%%` a `%`, `$$` a `$`; then the command line
 * is split into words (the one single-quoted word kept whole).
 */
async function runExecStart(execStart: string, instance: string, cwd: string): Promise<string[]> {
  const unescaped = instance.replace(/\\x([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  const expanded = execStart.replace(/%%|%I|\$\$/g, (token) => (token === '%I' ? unescaped : token[0]!))
  const words = [...expanded.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2]!)
  expect(words.slice(0, 2)).toEqual(['/bin/sh', '-c'])
  const { stdout } = await run(words[0]!, words.slice(1), { cwd })
  return stdout.trim().split('\n')
}
