#!/usr/bin/env node
// Startup figures for the built CLI (run `npm run build` first):
//   node test/cli/measure-startup.mjs [runs=10] [--compare <other dist/cli.js>]...
//
// Each figure is the median of `runs` new `node` processes, as a user sees
// them: wall time, and CPU time (user + system, from /usr/bin/time when
// present), which moves less when other work shares the machine. The commands
// are measured in rounds (one run of each, then the next round), so load that
// comes and goes falls on all of them alike, next to two references measured
// in the same rounds: `node -e 0` (Node's own start) and plop writing one file
// from a template (bench/cli/plop, the tool `g job` is compared with; issue 5
// asks for `g job` within 1.5× of it). `--compare` adds the same jobs-kit rows
// for another build, e.g. one of an older commit, for a before/after table.
//
// `g job` writes a new job each run (3 files, the registry and the config's
// queue list) in a copy of e2e-fixtures/next-sqlite set up by that CLI, as
// B's `npm run bench` does. A benchmark, not a test: nothing asserts on it.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const args = process.argv.slice(2)
const runs = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 10)
const clis = [join(repo, 'dist/cli.js')]
for (let i = 0; i < args.length; i++) if (args[i] === '--compare') clis.push(args[++i])
const plop = join(repo, 'node_modules/plop/bin/plop.js')
const plopfile = join(repo, 'bench/cli/plop/plopfile.mjs')
const hasTime = spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0
const scratch = []

function scratchDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  scratch.push(dir)
  return dir
}

/** A copy of the Next.js fixture app, set up by `cli`. */
function setUpApp(cli) {
  const app = scratchDir('jobs-kit-startup-')
  cpSync(join(repo, 'e2e-fixtures/next-sqlite'), app, { recursive: true, filter: (src) => !src.includes('node_modules') })
  execFileSync(process.execPath, [cli, 'setup', '--yes'], { cwd: app, stdio: 'ignore' })
  return app
}

/** Label, `node` arguments for run i, the folder to run in, and a check of run i's effect. */
const rows = [{ label: 'node -e 0 (baseline)', args: () => ['-e', '0'], cwd: repo }]
for (const cli of clis) {
  const name = clis.length > 1 ? `jobs-kit (${relative(repo, cli) || cli})` : 'jobs-kit'
  const app = setUpApp(cli)
  rows.push(
    { label: `${name} --help`, args: () => [cli, '--help'], cwd: repo },
    { label: `${name} g job <Name> --dry-run`, args: () => [cli, 'g', 'job', 'SendWelcomeEmail', '--dry-run'], cwd: app },
    {
      label: `${name} g job <Name>`,
      args: (i) => [cli, 'g', 'job', `Startup${i}`, '--yes'],
      cwd: app,
      check: (i) => existsSync(join(app, `src/jobs/Startup${i}Job/Startup${i}Job.ts`)),
      gJob: true,
    },
  )
}
const plopDir = scratchDir('jobs-kit-startup-plop-')
rows.push({
  label: 'plop: one file from a template',
  args: (i) => [plop, '--plopfile', plopfile, '--dest', plopDir, 'job', `Startup${i}`],
  cwd: repo,
  check: (i) => existsSync(join(plopDir, `src/jobs/Startup${i}Job/Startup${i}Job.ts`)),
  plop: true,
})

/** One run: wall and CPU milliseconds. */
function time(row, i) {
  const command = hasTime ? ['/usr/bin/time', '-f', 'cpu %U %S', process.execPath] : [process.execPath]
  const start = process.hrtime.bigint()
  const result = spawnSync(command[0], [...command.slice(1), ...row.args(i)], { cwd: row.cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) throw new Error(`${row.label} exited ${result.status}:\n${result.stdout}\n${result.stderr}`)
  if (row.check && !row.check(i)) throw new Error(`${row.label} exited 0 but did not write its file (run ${i})`)
  const cpu = hasTime ? /cpu ([\d.]+) ([\d.]+)/.exec(result.stderr) : null
  return { wall, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

const load = () => loadavg().map((n) => n.toFixed(2)).join(' ')
console.log(`node ${process.version}, ${runs} runs per row, load average before: ${load()}`)
for (const row of rows) time(row, runs) // warm the file cache (and the V8 code cache) once, outside the figures
const samples = rows.map(() => ({ wall: [], cpu: [] }))
for (let i = 0; i < runs; i++) {
  rows.forEach((row, r) => {
    const { wall, cpu } = time(row, i)
    samples[r].wall.push(wall)
    samples[r].cpu.push(cpu)
  })
}
console.log(`load average after: ${load()}\n`)

const plopRow = rows.findIndex((row) => row.plop)
const width = Math.max(...rows.map((row) => row.label.length))
console.log(`${'command'.padEnd(width)}  wall median (min–max)   CPU median`)
rows.forEach((row, r) => {
  const { wall, cpu } = samples[r]
  const ratio = row.gJob ? `   ${(median(wall) / median(samples[plopRow].wall)).toFixed(2)}× plop wall, ${(median(cpu) / median(samples[plopRow].cpu)).toFixed(2)}× plop CPU` : ''
  const range = `(${Math.min(...wall).toFixed(0)}–${Math.max(...wall).toFixed(0)})`
  console.log(`${row.label.padEnd(width)}  ${median(wall).toFixed(0).padStart(5)} ms ${range.padEnd(13)}  ${hasTime ? `${median(cpu).toFixed(0).padStart(5)} ms` : '   n/a'}${ratio}`)
})
for (const dir of scratch) rmSync(dir, { recursive: true, force: true })
