/**
 * Wall time of CLI commands, median of N runs, each a fresh `node` process:
 * `jobs-kit --help`, `jobs-kit g job` in a scratch app, and plop generating
 * one file from a template (the closest existing tool).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from '../lib/processes.js'
import { median, nowMs } from '../lib/stats.js'

export interface CliFigure {
  id: string
  label: string
  /** Median wall time in ms, or null when it could not run (see `error`). */
  medianMs: number | null
  runsMs: number[]
  error?: string
}

const JOBS_KIT_CLI = join(REPO_ROOT, 'dist/cli.js')
const PLOP_BIN = join(REPO_ROOT, 'node_modules/plop/bin/plop.js')
const PLOPFILE = join(REPO_ROOT, 'bench/cli/plop/plopfile.mjs')

/**
 * Runs `node <args>` `runs` times in `cwd`. Every run must exit 0 and pass
 * `verify(i, stdout)` (untimed), so a placeholder that prints nothing useful
 * is never timed as if it worked.
 */
function timeNode(args: (i: number) => string[], cwd: string, runs: number, verify: (i: number, stdout: string) => void): number[] {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = nowMs()
    const result = spawnSync(process.execPath, args(i), { cwd, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1' } })
    const elapsed = nowMs() - started
    if (result.status !== 0) {
      throw new Error(`node ${args(i).join(' ')} exited ${result.status}:\n${(result.stdout + result.stderr).slice(-1500)}`)
    }
    verify(i, result.stdout)
    times.push(elapsed)
  }
  return times
}

function figure(id: string, label: string, measure: () => number[]): CliFigure {
  try {
    const runsMs = measure()
    return { id, label, medianMs: median(runsMs), runsMs }
  } catch (error) {
    return { id, label, medianMs: null, runsMs: [], error: (error as Error).message.split('\n').slice(0, 6).join('\n') }
  }
}

/** A minimal TypeScript app with jobs-kit set up by the built CLI, for `g job`. */
function scratchApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jkbench-cli-'))
  const fixture = join(REPO_ROOT, 'e2e-fixtures/next-sqlite')
  if (existsSync(fixture)) {
    cpSync(fixture, dir, { recursive: true, filter: (src) => !src.includes('node_modules') })
  } else {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-app', type: 'module', dependencies: { '@prisma/client': '7.10' } }))
    mkdirSync(join(dir, 'prisma'))
    writeFileSync(join(dir, 'prisma/schema.prisma'), 'generator client {\n  provider = "prisma-client"\n  output = "../src/generated"\n}\n\ndatasource db {\n  provider = "sqlite"\n}\n')
  }
  execFileSync(process.execPath, [JOBS_KIT_CLI, 'setup', '--yes'], { cwd: dir, stdio: 'pipe', env: { ...process.env, CI: '1' } })
  return dir
}

export function measureCli(runs: number): CliFigure[] {
  const figures: CliFigure[] = []
  figures.push(
    figure('jobs-kit/help', 'jobs-kit --help', () =>
      timeNode(() => [JOBS_KIT_CLI, '--help'], REPO_ROOT, runs, (_, stdout) => {
        if (!/setup/.test(stdout) || !/generate|g job/.test(stdout)) throw new Error(`jobs-kit --help does not list setup and generate yet:\n${stdout.slice(0, 300)}`)
      }),
    ),
  )

  let app: string | undefined
  figures.push(
    figure('jobs-kit/g-job', 'jobs-kit g job <Name>', () => {
      app = scratchApp()
      // A new name each run, so every run really writes and registers a job.
      const appDir = app
      return timeNode((i) => [JOBS_KIT_CLI, 'g', 'job', `BenchNumber${i}`, '--yes'], appDir, runs, (i) => {
        const created = ['src/jobs', 'jobs', 'api/src/jobs'].some((root) => existsSync(join(appDir, root, `BenchNumber${i}Job/BenchNumber${i}Job.ts`)))
        if (!created) throw new Error(`jobs-kit g job BenchNumber${i} exited 0 but wrote no BenchNumber${i}Job.ts`)
      })
    }),
  )
  if (app) rmSync(app, { recursive: true, force: true })

  const plopDir = mkdtempSync(join(tmpdir(), 'jkbench-plop-'))
  figures.push(
    figure('plop/one-file', 'plop: one file from a template', () =>
      timeNode((i) => [PLOP_BIN, '--plopfile', PLOPFILE, '--dest', plopDir, 'job', `BenchNumber${i}`], REPO_ROOT, runs, (i) => {
        if (!existsSync(join(plopDir, `src/jobs/BenchNumber${i}Job/BenchNumber${i}Job.ts`))) throw new Error('plop wrote no file')
      }),
    ),
  )
  rmSync(plopDir, { recursive: true, force: true })
  return figures
}
