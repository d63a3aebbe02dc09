import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { renderRuntimeFiles } from '../../vendoring/render-runtime.js'

// The runtime as `setup` vendors it into a JavaScript app, in a folder where
// no `croner` can be resolved: an app that has not installed it.
const app = mkdtempSync(join(tmpdir(), 'jobs-kit-no-croner-'))
afterAll(() => rmSync(app, { recursive: true, force: true }))
writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module' }))
for (const [path, source] of renderRuntimeFiles({ language: 'js', moduleType: 'esm', importStyle: 'with-extension' })) {
  mkdirSync(dirname(join(app, 'jobs-kit', path)), { recursive: true })
  writeFileSync(join(app, 'jobs-kit', path), source)
}

async function runInApp(script: string): Promise<string> {
  writeFileSync(join(app, 'main.mjs'), script)
  const { stdout } = await promisify(execFile)(process.execPath, ['main.mjs'], { cwd: app, timeout: 30_000 })
  return stdout.trim()
}

const config = (recurring: string) => `
import { JobManager } from './jobs-kit/index.js'
import { createRecurringScheduler } from './jobs-kit/recurring/start-recurring.js'
const jobs = new JobManager({
  adapters: { prisma: { db: { $transaction() {} }, schedule: async () => 1, find: async () => [], success() {}, error() {}, failure() {}, clear: async () => 0 } },
  queues: ['default'],
  workers: [],
  jobs: () => ({}),
  recurring: ${recurring},
})
try {
  console.log(String(await createRecurringScheduler(jobs, { logger: console })))
} catch (error) {
  console.log(error.code + ': ' + error.message)
}
`

describe('croner is an optional peer', () => {
  it('an app without recurring entries runs without croner installed', async () => {
    expect(await runInApp(config('[]'))).toBe('undefined')
  })

  it('an app with recurring entries and no croner gets an error that says to install it', async () => {
    expect(await runInApp(config("[{ job: 'NightlyReportJob', cron: '0 3 * * *' }]"))).toBe(
      'OPTIONAL_DEPENDENCY_MISSING: Your jobs config has `recurring` entries, which need the cron parser croner, and it is not installed. ' +
        'Install it: `npm install croner` (or remove the `recurring` entries).',
    )
  })
})
