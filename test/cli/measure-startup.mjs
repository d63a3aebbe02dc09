#!/usr/bin/env node
// Startup figures for the built CLI (run `npm run build` first):
//   node test/cli/measure-startup.mjs [runs=10]
// Median wall time of `jobs-kit --help` and of `jobs-kit g job X --dry-run`
// on a freshly set-up copy of the TypeScript fixture app, each in a new
// process, as a user sees it. A benchmark, not a test: nothing asserts on it.
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

function measure(label, args) {
  const times = []
  spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore' }) // warm the file cache
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore' })
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
    if (result.status !== 0) throw new Error(`${label} exited ${result.status}`)
  }
  times.sort((a, b) => a - b)
  const median = runs % 2 ? times[(runs - 1) / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2
  console.log(`${label.padEnd(34)} median ${median.toFixed(0)} ms  (min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}, ${runs} runs)`)
}

const baseline = ['-e', '0']
const times = []
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint()
  spawnSync(process.execPath, baseline, { stdio: 'ignore' })
  times.push(Number(process.hrtime.bigint() - start) / 1e6)
}
times.sort((a, b) => a - b)
console.log(`${'node -e 0 (baseline)'.padEnd(34)} median ${times[Math.floor(runs / 2)].toFixed(0)} ms`)
measure('jobs-kit --help', ['--help'])
measure('jobs-kit g job SendWelcomeEmail --dry-run', ['g', 'job', 'SendWelcomeEmail', '--dry-run', '--cwd', app])
rmSync(app, { recursive: true, force: true })
