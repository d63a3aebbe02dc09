#!/usr/bin/env node
// Startup figures for the built CLI (run `npm run build` first):
//   node test/cli/measure-startup.mjs [runs=10]
// Median wall time of `jobs-kit --help` and of `jobs-kit g job X --dry-run`
// on a freshly set-up copy of the TypeScript fixture app, each in a new
// process, as a user sees it, and the median CPU time (user + system, from
// /usr/bin/time when present), which moves less when the machine is busy.
// A benchmark, not a test: nothing asserts on it.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const cli = join(repo, 'dist/cli.js')
const runs = Number(process.argv[2] ?? 10)

// The fixture is TypeScript: load it through tsx once, to write the app.
const files = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e',
  "import('./src/generators/setup/__fixtures__/apps.ts').then((m) => console.log(JSON.stringify(m.tsEsmApp)))"], { cwd: repo, encoding: 'utf8' }))
const app = mkdtempSync(join(tmpdir(), 'jobs-kit-startup-'))
for (const [path, content] of Object.entries(files)) {
  mkdirSync(dirname(join(app, path)), { recursive: true })
  writeFileSync(join(app, path), content)
}
execFileSync(process.execPath, [cli, 'setup', '--cwd', app, '--yes'], { stdio: 'ignore' })

const hasTime = spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

function measure(label, args) {
  const wall = []
  const cpu = []
  spawnSync(process.execPath, args, { stdio: 'ignore' }) // warm the file cache
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    const result = hasTime
      ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] })
      : spawnSync(process.execPath, args, { stdio: 'ignore' })
    wall.push(Number(process.hrtime.bigint() - start) / 1e6)
    if (result.status !== 0) throw new Error(`${label} exited ${result.status}`)
    const times = hasTime ? /cpu ([\d.]+) ([\d.]+)/.exec(result.stderr) : null
    if (times) cpu.push((Number(times[1]) + Number(times[2])) * 1000)
  }
  const cpuText = cpu.length ? `, CPU median ${median(cpu).toFixed(0)} ms` : ''
  console.log(`${label.padEnd(42)} wall median ${median(wall).toFixed(0)} ms (min ${Math.min(...wall).toFixed(0)}, max ${Math.max(...wall).toFixed(0)})${cpuText}, ${runs} runs`)
}

console.log(`load average: ${(await import('node:os')).loadavg().map((n) => n.toFixed(2)).join(' ')}`)
measure('node -e 0 (baseline)', ['-e', '0'])
measure('jobs-kit --help', [cli, '--help'])
measure('jobs-kit g job SendWelcomeEmail --dry-run', [cli, 'g', 'job', 'SendWelcomeEmail', '--dry-run', '--cwd', app])
rmSync(app, { recursive: true, force: true })
