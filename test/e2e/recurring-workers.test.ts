/**
 * Recurring jobs end to end, with jobs-kit as users install it (the packed
 * tarball, production dependencies only), on one app per database:
 *
 *   setup --migration (jobs model + schedule model) → apply the migration → prisma generate
 *   → `g job Heartbeat --cron '* * * * * *'` (the entry in the config, croner in package.json)
 *   → the job logs the slot it stands for → `npm run jobs -- start -n 3` (three worker processes,
 *   each running the recurring scheduler) → several seconds → `stop` → `workoff` runs what is left
 *   → every slot from the first to the last ran exactly once, and the jobs table is empty.
 *
 * A failure prints every command run in the app copy with its output.
 */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFailed } from 'vitest'
import { packedCli } from '../support/packed-cli.js'
import { addImports } from './support/app-edits.js'
import { copyFixtureApp, fixtureApp, repoRoot, type AppCopy } from './support/fixture-apps.js'

const SLOT_LOG = 'heartbeat-slots.log'

/** Makes the generated cron job append the slot it stands for (and its process) to SLOT_LOG. */
function logSlots(jobPath: string, appDir: string): void {
  const source = readFileSync(jobPath, 'utf8')
  const esm = /^import /m.test(source)
  const logPath = JSON.stringify(join(appDir, SLOT_LOG))
  const edited = addImports(source, [esm ? `import { appendFileSync } from 'node:fs'` : `const { appendFileSync } = require('node:fs')`])
    .replace('perform: async () => {', 'async perform() {')
    .replace(
      /^(\s*)jobs\.logger\.info\('HeartbeatJob: performing'\)$/m,
      `$1appendFileSync(${logPath}, \`\${this.recurring.slot.toISOString()} \${this.recurring.backfill} \${process.pid}\\n\`)`,
    )
  if (!edited.includes('appendFileSync(') || !edited.includes('async perform() {')) throw new Error(`could not edit ${jobPath}:\n${source}`)
  writeFileSync(jobPath, edited)
}

function readSlots(appDir: string): { slot: string; backfill: string; pid: string }[] {
  const file = join(appDir, SLOT_LOG)
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [slot, backfill, pid] = line.split(' ')
      return { slot: slot!, backfill: backfill!, pid: pid! }
    })
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

describe.each(['t3-sqlite', 'supabase-pg', 'express-mariadb'])('a cron entry run by three workers on %s', (name) => {
  let app: AppCopy | undefined

  afterEach(async () => {
    if (!app) return
    await app.run('npm', ['run', 'jobs', '--', 'stop', '--timeout', '5']).catch(() => undefined)
    await app.remove()
    app = undefined
  })

  it('enqueues and runs each slot exactly once', { timeout: 300_000 }, async () => {
    const fixture = fixtureApp(name)
    const jobsKitBin = await packedCli()
    app = await copyFixtureApp(fixture.name)
    const copy = app
    onTestFailed(() => console.error(`\n===== ${fixture.name}: commands run in ${copy.dir} =====\n${copy.transcript.join('\n\n')}\n`))
    await copy.applyMigrations()
    await copy.run(jobsKitBin, ['setup', '--yes', '--migration', ...(fixture.setupArgs ?? [])])
    expect(await copy.applyMigrations(), 'one migration creates the jobs and schedule tables').toHaveLength(1)
    await copy.generateClient()
    const jobsKit = JSON.parse(readFileSync(join(copy.dir, 'jobs-kit.json'), 'utf8')) as {
      language: 'ts' | 'js'
      model: { table: string; dbSchema: string | null }
      paths: { jobs: string }
    }

    await copy.run(jobsKitBin, ['g', 'job', 'Heartbeat', '--cron', '* * * * * *', '--yes'])
    // g job added croner to package.json; the copy's packages are linked, not installed.
    expect((JSON.parse(readFileSync(join(copy.dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.croner).toBeDefined()
    symlinkSync(join(repoRoot, 'node_modules/croner'), join(copy.dir, 'node_modules/croner'), 'dir')
    logSlots(join(copy.dir, jobsKit.paths.jobs, `HeartbeatJob/HeartbeatJob.${jobsKit.language}`), copy.dir)

    await copy.run('npm', ['run', 'jobs', '--', 'start', '-n', '3'])
    await waitFor('six slots run', () => readSlots(copy.dir).length >= 6, 60_000)
    const status = await copy.run('npm', ['run', 'jobs', '--', 'status'])
    expect(status.stdout).toContain('HeartbeatJob')
    await copy.run('npm', ['run', 'jobs', '--', 'stop', '--timeout', '10'])
    // Slots enqueued before the stop but not yet run: workoff runs them (and may enqueue the current one).
    await copy.run('npm', ['run', 'jobs', '--', 'workoff'])

    const runs = readSlots(copy.dir)
    const slots = runs.map((run) => Date.parse(run.slot))
    expect(new Set(slots).size, `each slot once: ${runs.map((run) => run.slot).join(', ')}`).toBe(slots.length)
    const sorted = [...slots].sort((a, b) => a - b)
    // No slot between the first and the last was skipped while the workers ran.
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!, `after ${new Date(sorted[i - 1]!).toISOString()}`).toBe(1_000)
    expect(runs.every((run) => run.backfill === 'false')).toBe(true)

    const { query, quote } = copy.database
    const table = jobsKit.model.dbSchema ? `${quote(jobsKit.model.dbSchema)}.${quote(jobsKit.model.table)}` : quote(jobsKit.model.table)
    expect(Number((await query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n), 'jobs left').toBe(0)
  })
})
