/**
 * `npm run bench`: jobs-kit against graphile-worker and pg-boss, and against
 * the raw-SQL ceiling of each database, on this machine, in one run. Prints
 * Markdown tables and writes bench/results/latest.json (and latest.md).
 *
 *   npm run bench                         full run (~16 min on 2 cores at load 10–16)
 *   npm run bench -- --quick              small counts, for checking the harness (writes partial.tmp.*)
 *   npm run bench -- --only graphile,jobs-kit/sqlite   some systems only (writes partial.tmp.*)
 *   npm run bench -- --no-cli             skip the CLI timings
 *   npm run bench -- --concurrency 4      jobs per worker process, for everyone (the PostgreSQL rows' 4 × 10 drain stays at 10)
 *
 * Each system is measured in a driver process of its own (measure-system.ts),
 * which starts that system's worker processes. Method: docs/benchmarks.md.
 */
import { execSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, hostname, loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { measureCli } from './cli/cli-timing.js'
import { getCounts, PROCESS_COUNTS } from './lib/counts.js'
import { log, reportedMetrics, type SystemResult } from './lib/measure.js'
import { REPO_ROOT, spawnWorker, terminateAllWorkers } from './lib/processes.js'
import { addRatios, renderTables, type CliResult, type Figure, type SystemInfo } from './lib/report.js'
import { getSystemSpecs, type SystemSpec } from './lib/systems.js'
import { checkTargets } from './lib/targets.js'

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-cli': { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '1' },
  },
})
const counts = getCounts(flags.quick!, Number(flags.concurrency))
/** Set by Ctrl-C: the run stops and writes no results. */
let interrupted = false

/** Runs one system's driver process and returns what it measured (or an error row). */
async function runDriver(spec: SystemSpec): Promise<SystemResult> {
  let result: SystemResult | undefined
  const driver = spawnWorker({
    name: `driver ${spec.id}`,
    nodeArgs: ['--import', 'tsx', 'bench/measure-system.ts', '--system', spec.id, '--concurrency', String(counts.concurrency), ...(flags.quick ? ['--quick'] : [])],
    onMessage: (message: any) => {
      if (message?.type === 'result') result = { system: message.system, figures: message.figures }
    },
  })
  // The driver logs progress on stderr: pass it through.
  driver.child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk))
  const code = await driver.exited
  if (result) return result
  const note = `driver exited ${code} without a result: ${driver.output().split('\n').filter(Boolean).slice(-3).join(' / ')}`
  return {
    system: { id: spec.id, label: spec.label, provider: spec.provider, notes: ['error'] },
    figures: reportedMetrics(spec).map((metric) => ({ system: spec.id, label: spec.label, provider: spec.provider, metric, value: null, status: 'error', note })),
  }
}

async function main(): Promise<void> {
  const only = flags.only?.split(',').map((s) => s.trim())
  const specs = getSystemSpecs(counts).filter((spec) => !only || only.some((prefix) => spec.id.startsWith(prefix)))
  const loadBefore = loadavg()
  const startedAt = new Date()
  // The jobs-kit rows use test/support's generated Prisma clients.
  const { generateTestClients } = await import('../test/support/prisma-clients.js')
  await generateTestClients()

  const systems: SystemInfo[] = []
  const figures: Figure[] = []
  for (const spec of specs) {
    const result = await runDriver(spec)
    if (interrupted) return
    systems.push(result.system)
    figures.push(...result.figures)
  }

  let cli: CliResult[] = []
  if (!flags['no-cli'] && !only) {
    log(`CLI timings, ${counts.cliRuns} runs each`)
    cli = measureCli(counts.cliRuns)
    const plop = cli.find((c) => c.id === 'plop/one-file')?.medianMs
    for (const c of cli) if (c.medianMs !== null && plop) c.ratioToPlop = c.medianMs / plop
  }

  addRatios(figures)
  const targets = checkTargets(figures, counts)
  const meta = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: flags.quick ? 'quick' : 'full',
    command: `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
    host: hostname(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadAverageBefore: loadBefore.map((v) => Number(v.toFixed(2))),
    loadAverageAfter: loadavg().map((v) => Number(v.toFixed(2))),
    node: process.version,
    versions: versions(),
    counts,
    processCounts: PROCESS_COUNTS,
  }
  const minutes = ((Date.parse(meta.finishedAt) - startedAt.getTime()) / 60_000).toFixed(1)
  const markdown = [
    `Run ${meta.startedAt} (${meta.mode}, ${minutes} min), ${meta.cpus} × ${meta.cpuModel}, load average (1/5/15 min) before ${meta.loadAverageBefore.join(' / ')}, after ${meta.loadAverageAfter.join(' / ')}; Node ${meta.node}, PostgreSQL ${meta.versions.postgresql ?? '?'}, MariaDB ${meta.versions.mariadb ?? '?'}.\n`,
    renderTables(systems, figures, cli, counts, targets),
  ].join('\n')
  console.log(markdown)
  const resultsDir = join(REPO_ROOT, 'bench/results')
  mkdirSync(resultsDir, { recursive: true })
  const base = flags.quick || only ? 'partial.tmp' : 'latest'
  writeFileSync(join(resultsDir, `${base}.json`), JSON.stringify({ meta, systems, figures, targets, cli }, null, 2) + '\n')
  writeFileSync(join(resultsDir, `${base}.md`), markdown + '\n')
  log(`wrote bench/results/${base}.json and ${base}.md`)
}

function versions(): Record<string, string> {
  const read = (name: string) => {
    try {
      return execSync(`node -p "require('${name}/package.json').version"`, { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
    } catch {
      return 'unknown'
    }
  }
  const servers: Record<string, string> = {}
  try {
    servers.postgresql = execSync(`psql -h 127.0.0.1 -U postgres -Atc 'show server_version' test`, { encoding: 'utf8' }).trim()
  } catch {}
  try {
    servers.mariadb = execSync(`mysql -h127.0.0.1 -uroot -Ne 'select version()'`, { encoding: 'utf8' }).trim()
  } catch {}
  return { 'graphile-worker': read('graphile-worker'), 'pg-boss': read('pg-boss'), prisma: read('prisma'), 'better-sqlite3': read('better-sqlite3'), ...servers }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true
    // Each driver stops its workers and drops its database on SIGTERM.
    log('interrupted: stopping the driver, which drops its database')
    void terminateAllWorkers().finally(() => process.exit(130))
  })
}

await main()
