/**
 * Ctrl-C in a terminal on `npm run jobs -- work`, with jobs-kit as users
 * install it (the packed tarball, production dependencies only) on the
 * t3-sqlite fixture, whose setup writes the adapter's `betterSqlite3: true`:
 * SIGINT goes to the whole process group (npm, the shell, the runner, its
 * worker). The job in hand finishes, the process group exits promptly, the
 * jobs not started are left free, and no lock is left on the file.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFailed } from 'vitest'
import { packedCli } from '../support/packed-cli.js'
import { copyFixtureApp, type AppCopy } from './support/fixture-apps.js'

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('Ctrl-C on npm run jobs -- work, t3-sqlite with betterSqlite3', () => {
  let app: AppCopy | undefined
  let groupPid: number | undefined
  afterEach(async () => {
    if (groupPid !== undefined && isAlive(groupPid)) process.kill(-groupPid, 'SIGKILL')
    groupPid = undefined
    await app?.remove()
    app = undefined
  })

  it('finishes the job in hand, exits promptly, leaves the others free and the file unlocked', { timeout: 300_000 }, async () => {
    const jobsKitBin = await packedCli()
    app = await copyFixtureApp('t3-sqlite')
    const copy = app
    onTestFailed(() => console.error(`\n===== commands run in ${copy.dir} =====\n${copy.transcript.join('\n\n')}\n`))
    await copy.applyMigrations()
    await copy.run(jobsKitBin, ['setup', '--yes', '--migration', ...(copy.fixture.setupArgs ?? [])])
    await copy.applyMigrations()
    await copy.generateClient()
    const jobsKit = JSON.parse(readFileSync(join(copy.dir, 'jobs-kit.json'), 'utf8')) as { language: string; model: { table: string }; paths: { jobs: string; config: string } }
    expect(readFileSync(join(copy.dir, jobsKit.paths.config), 'utf8')).toContain('betterSqlite3: true')

    await copy.run(jobsKitBin, ['g', 'job', 'Slow', '--yes'])
    const jobFile = join(copy.dir, jobsKit.paths.jobs, 'SlowJob', `SlowJob.${jobsKit.language}`)
    const log = join(copy.dir, 'slow.log')
    const source = readFileSync(jobFile, 'utf8')
    const edited = source.replace(
      /^(\s*)jobs\.logger\.info\(.SlowJob: performing.*\)$/m,
      `$1;(await import('node:fs')).appendFileSync(${JSON.stringify(log)}, 'start\\n')\n$1await new Promise((resolve) => setTimeout(resolve, 1500))\n$1;(await import('node:fs')).appendFileSync(${JSON.stringify(log)}, 'done\\n')`,
    )
    expect(edited).not.toBe(source)
    writeFileSync(jobFile, edited)

    const { query, exec, quote } = copy.database
    const table = quote(jobsKit.model.table)
    const columns = (await query<{ name: string }>(`PRAGMA table_info(${table})`)).map((column) => column.name)
    const column = (field: string) => columns.find((name) => name.replace(/_/g, '').toLowerCase() === field.toLowerCase())!
    const handler = JSON.stringify({ name: 'SlowJob', path: 'SlowJob/SlowJob', args: [] }).replace(/'/g, "''")
    const past = '1970-01-01T00:00:00.000+00:00'
    const values = Array.from({ length: 3 }, () => `('${handler}', 'default', 50, '${past}', '${past}', '${past}')`).join(', ')
    await exec(
      `INSERT INTO ${table} (${['handler', 'queue', 'priority', 'runAt', 'createdAt', 'updatedAt'].map((field) => quote(column(field))).join(', ')}) VALUES ${values}`,
    )

    const child = spawn('npm', ['run', 'jobs', '--', 'work'], { cwd: copy.dir, env: copy.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    groupPid = child.pid!
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal!)))
    const deadline = Date.now() + 60_000
    while (!(existsSync(log) && readFileSync(log, 'utf8').includes('start'))) {
      if (Date.now() > deadline) throw new Error(`no job started within 60 s:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const signalledAt = Date.now()
    process.kill(-groupPid, 'SIGINT') // as a terminal's Ctrl-C
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running after 15 s'), 15_000))])
    const tookMs = Date.now() - signalledAt
    expect(code, output).not.toBe('still running after 15 s')
    expect(tookMs, output).toBeLessThan(8_000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(isAlive(groupPid) || (() => { try { process.kill(-groupPid!, 0); return true } catch { return false } })(), 'a process of the group is left').toBe(false)

    // The job in hand finished (not abandoned mid-way), and only it ran.
    expect(readFileSync(log, 'utf8'), `exit ${code} after ${tookMs} ms:\n${output}`).toBe('start\ndone\n')
    const rows = await query<Record<string, unknown>>(`SELECT * FROM ${table}`)
    expect(rows, output).toHaveLength(2)
    expect(rows.map((row) => row[column('lockedBy')]), 'the jobs not started are free').toEqual([null, null])
    // No lock left on the file: a writer gets it at once.
    await exec('BEGIN IMMEDIATE; COMMIT;')
    console.log(`exit ${code} after ${tookMs} ms; -wal ${existsSync(`${copy.database.url.replace(/^file:/, '')}-wal`) ? 'left' : 'gone'}`)
  })
})
