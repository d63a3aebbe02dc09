/**
 * The express-mariadb fixture as a user runs it, jobs-kit from the packed
 * tarball (production dependencies only), its worker querying through the
 * `mariadb` option setup writes: the worker in Kiritimati (UTC+14) while the
 * app schedules in UTC; `npm run jobs -- work` stopped with Ctrl-C (SIGINT to
 * the whole process group, as a terminal sends it) must exit promptly, the
 * adapter's pool closed (not kept open by idle connections); a job due in
 * 60 s is not run early by `work` nor `workoff`; `status` and `clear` work.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFailed } from 'vitest'
import { packedCli } from '../support/packed-cli.js'
import { addWelcomeSideEffect, readWelcomeLog, scheduleWelcomeEmail } from './support/app-edits.js'
import { copyFixtureApp, fixtureApp, type AppCopy } from './support/fixture-apps.js'

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

describe('express-mariadb with the mariadb option: Ctrl-C, time zones, workoff, clear, status', () => {
  let app: AppCopy | undefined

  afterEach(async () => {
    await app?.remove()
    app = undefined
  })

  it('work exits promptly on SIGINT through npm run; a job due in 60 s is not run early in Kiritimati', { timeout: 300_000 }, async () => {
    const fixture = fixtureApp('express-mariadb')
    const jobsKitBin = await packedCli()
    app = await copyFixtureApp(fixture.name)
    const copy = app
    onTestFailed(() => console.error(`\n===== commands run in ${copy.dir} =====\n${copy.transcript.join('\n\n')}\n`))
    await copy.applyMigrations()
    await copy.run(jobsKitBin, ['setup', '--yes', '--migration'])
    await copy.applyMigrations()
    await copy.generateClient()
    await copy.run(jobsKitBin, ['g', 'job', 'SendWelcomeEmail', '--yes'])
    addWelcomeSideEffect(join(copy.dir, 'src/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob.js'), copy.dir, fixture.db)
    scheduleWelcomeEmail(join(copy.dir, fixture.serviceFile), fixture.serviceImports)
    const { query } = copy.database

    // The app schedules in UTC: one now, one in a second.
    const signUp = await copy.run('npm', ['run', '--silent', 'create-user', '--', 'ada@example.com', 'Ada'])
    const ada = JSON.parse(signUp.stdout.trim().split('\n').pop()!) as { id: number }
    // A job due in 60 s, written as Prisma writes it (UTC in a DATETIME column).
    const [template] = await query<{ handler: string }>('SELECT handler FROM `BackgroundJob` LIMIT 1')
    const inAMinute = new Date(Date.now() + 60_000).toISOString().replace('T', ' ').replace('Z', '')
    const handler = template!.handler.replace(`[${ada.id}]`, '[999999]').replace(/'/g, "''")
    await copy.database.exec(
      `INSERT INTO \`BackgroundJob\` (handler, queue, priority, attempts, runAt, createdAt, updatedAt) ` +
        `VALUES ('${handler}', 'default', 0, 0, '${inAMinute}', '${inAMinute}', '${inAMinute}')`,
    )

    const kiritimati = { ...copy.env, TZ: 'Pacific/Kiritimati' }
    // Past Ada's `wait: 1`: two waiting, the one in 60 s scheduled, read in Kiritimati.
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    const status = await copy.run('/bin/sh', ['-c', 'TZ=Pacific/Kiritimati npm run jobs -- status'])
    expect(status.output).toMatch(/^default\s+2\s+1\s+0\s+0\s+0\s*$/m)

    // `npm run jobs -- work` in a process group of its own, as a terminal runs it.
    const child = spawn('npm', ['run', 'jobs', '--', 'work'], { cwd: copy.dir, env: kiritimati, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    onTestFailed(() => console.error(`\n===== npm run jobs -- work =====\n${output}\n`))
    try {
      await waitFor('both of Ada’s jobs to run', () => readWelcomeLog(copy.dir).length === 2, 60_000)
      // Let it idle a few polls, pool connections open.
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      const left = await query<{ lockedBy: unknown; attempts: unknown }>('SELECT lockedBy, attempts FROM `BackgroundJob`')
      expect(left, 'the job due in 60 s was not taken').toEqual([{ lockedBy: null, attempts: 0 }])
      const sentAt = Date.now()
      process.kill(-child.pid!, 'SIGINT')
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000))
      const result = await Promise.race([exited, timeout])
      expect(result, 'work exited within 15 s of SIGINT').not.toBe('timeout')
      console.log(`work exited ${Date.now() - sentAt} ms after SIGINT`)
      expect(Date.now() - sentAt).toBeLessThan(10_000)
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // gone already
      }
    }

    // workoff in Kiritimati: the job due in 60 s is still not due.
    // Each command ends when its work does: the adapter's pool closed, not left to its 60 s idle timeout.
    let startedAt = Date.now()
    await copy.run('/bin/sh', ['-c', 'TZ=Pacific/Kiritimati npm run jobs -- workoff'])
    expect(Date.now() - startedAt, 'workoff took').toBeLessThan(30_000)
    expect(readWelcomeLog(copy.dir)).toEqual([ada.id, ada.id])
    expect(await query('SELECT lockedBy, attempts FROM `BackgroundJob`')).toEqual([{ lockedBy: null, attempts: 0 }])

    startedAt = Date.now()
    await copy.run('npm', ['run', 'jobs', '--', 'clear'])
    expect(Date.now() - startedAt, 'clear took').toBeLessThan(30_000)
    expect(await query('SELECT id FROM `BackgroundJob`')).toEqual([])
  })
})
