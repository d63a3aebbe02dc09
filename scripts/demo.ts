/**
 * `npm run demo`: jobs-kit on a throwaway app, start to finish, in about half a minute.
 *
 * Copies the Next.js-style SQLite app from `e2e-fixtures/next-sqlite` to a
 * temporary folder (packages linked from this repository's node_modules, no
 * network), then does what a developer does: `jobs-kit setup`, apply the
 * migration, `prisma generate`, `jobs-kit g job` twice, fill in the jobs,
 * schedule some from app code, and run the worker with `workoff`. One job
 * fails on its first attempt, so the retry (backoff: attempts⁴ seconds) shows.
 *
 *   npm run demo              # the app is deleted at the end
 *   npm run demo -- --keep    # keep it, to look around or run `npm run jobs -- status`
 *
 * It reuses the end-to-end tests' helpers (test/e2e/support/): the same copy,
 * link and database steps the tests prove on every fixture.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { styleText } from 'node:util'
import { copyFixtureApp, repoRoot, type AppCopy } from '../test/e2e/support/fixture-apps.js'

type Style = Parameters<typeof styleText>[0]
const colour = process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
const paint = (style: Style, text: string) => (colour ? styleText(style, text) : text)
const bold = (text: string) => paint('bold', text)
const dim = (text: string) => paint('dim', text)

let step = 0
function heading(title: string): void {
  step += 1
  console.log(`\n${paint('cyan', bold(`${step}. ${title}`))}`)
}
function note(text: string): void {
  console.log(`   ${text}`)
}

/** Prints a command's output, indented, with job outcomes picked out and stack traces cut short. */
function printOutput(text: string): void {
  let framesSkipped = 0
  const flushFrames = () => {
    if (framesSkipped > 0) console.log(`   ${dim('│')}     ${dim(`… ${framesSkipped} more stack frames`)}`)
    framesSkipped = 0
  }
  const lines = text.split('\n')
  for (const [index, line] of lines.entries()) {
    if (!line.trim() || /^> /.test(line)) continue // npm's "> app@1.0 jobs" banner
    if (/^\s+at /.test(line) && /^\s+at /.test(lines[index - 1] ?? '')) {
      framesSkipped += 1
      continue
    }
    flushFrames()
    let shown = line
    if (/\b(error|failed|gave up|given up)\b/i.test(line)) shown = paint('red', line)
    else if (/\b(warn|retry|retrying|will retry)\b/i.test(line)) shown = paint('yellow', line)
    else if (/\b(succeeded|completed|success|done|create|update)\b/i.test(line)) shown = paint('green', line)
    else shown = dim(line)
    console.log(`   ${dim('│')} ${shown}`)
  }
  flushFrames()
}

async function runShown(app: AppCopy, shown: string, command: string, args: string[]): Promise<string> {
  console.log(`   ${paint('magenta', '$')} ${bold(shown)}`)
  const { stdout, output } = await app.run(command, args)
  printOutput(output)
  return stdout
}

/** The jobs table, as a developer would look at it in a database browser. */
async function printJobsTable(app: AppCopy): Promise<void> {
  const rows = await app.database.query<Record<string, unknown>>(
    'SELECT id, handler, queue, attempts, runAt, lockedBy, lastError, failedAt FROM "BackgroundJob" ORDER BY id',
  )
  if (rows.length === 0) {
    note(dim('BackgroundJob table: empty (successful jobs are deleted)'))
    return
  }
  note(dim('BackgroundJob table:'))
  const now = Date.now()
  for (const row of rows) {
    const handler = JSON.parse(String(row.handler)) as { name: string; args: unknown[] }
    const runAt = new Date(row.runAt as string | number | Date)
    const inSeconds = Math.round((runAt.getTime() - now) / 1000)
    const when = inSeconds > 0 ? `runs in ${inSeconds} s` : 'due now'
    const error = row.lastError ? paint('red', ` lastError: ${String(row.lastError).split('\n')[0]}`) : ''
    note(
      `  #${row.id} ${bold(handler.name)}(${handler.args.map((arg) => JSON.stringify(arg)).join(', ')}) ` +
        `queue=${row.queue} attempts=${row.attempts} ${paint('yellow', when)}${error}`,
    )
  }
}

/** Builds dist/ when it is missing or older than a source file. */
function buildIfNeeded(): void {
  const cli = join(repoRoot, 'dist/cli.js')
  const newestSource = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
      const path = join(dir, entry.name)
      return Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
    }, 0)
  if (existsSync(cli) && statSync(cli).mtimeMs >= newestSource(join(repoRoot, 'src'))) return
  console.log(dim('Building the CLI (npm run build)…'))
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('npm run build failed; see its output above.')
}

const SEND_WELCOME_EMAIL = `import { db } from '@/lib/db'
import { jobs } from '@/lib/jobs'

/** Sends the welcome email after sign-up (the demo logs it instead of sending). */
export const SendWelcomeEmailJob = jobs.createJob({
  queue: 'default',
  perform: async (userId: number) => {
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } })
    jobs.logger.info(\`📧 Welcome email sent to \${user.email}\`)
    await db.user.update({ where: { id: userId }, data: { welcomedAt: new Date() } })
  },
})
`

const SYNC_CRM = `import { db } from '@/lib/db'
import { jobs } from '@/lib/jobs'

/** Copies a new user to the CRM. The demo's CRM times out on the first attempt. */
export const SyncCrmJob = jobs.createJob({
  queue: 'default',
  priority: 10, // lower runs first
  async perform(userId: number) {
    if (this.attempt === 1) throw new Error('CRM API timed out (the demo fails the first attempt)')
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } })
    jobs.logger.info(\`🔄 \${user.email} synced to the CRM on attempt \${this.attempt}\`)
  },
})
`

const SIGN_UP_SCRIPT = `// What the app's sign-up code does, run from the command line for the demo.
import { db } from '@/lib/db'
import { later } from '@/lib/jobs'
import { createUser } from '@/lib/users'
import { SendWelcomeEmailJob } from '@/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob'
import { SyncCrmJob } from '@/jobs/SyncCrmJob/SyncCrmJob'

try {
  for (const email of ['ada@example.com', 'grace@example.com']) {
    const user = await createUser({ email })
    await later(SendWelcomeEmailJob, [user.id])
    console.log(\`signed up \${email} (user \${user.id}), welcome email scheduled\`)
  }
  await later(SyncCrmJob, [1])
  console.log('CRM sync scheduled for user 1')
  await later(SendWelcomeEmailJob, [2], { wait: 3600 })
  console.log('a reminder for user 2 scheduled in an hour ({ wait: 3600 })')
} finally {
  await db.$disconnect()
}
`

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep')
  const started = Date.now()
  console.log(bold('jobs-kit demo') + dim(' — background jobs for a Prisma app, on a throwaway SQLite app'))
  buildIfNeeded()
  const cli = join(repoRoot, 'dist/cli.js')

  heading('An existing app')
  const app = await copyFixtureApp('next-sqlite')
  note(`Next.js-style app (TypeScript, src/, @/ alias, Prisma 7, SQLite) in ${bold(app.dir)}`)
  await app.applyMigrations()
  await app.generateClient()
  note(dim('its own migration applied, Prisma client generated'))

  try {
    heading('jobs-kit setup')
    await runShown(app, 'jobs-kit setup --yes --migration', 'node', [cli, 'setup', '--yes', '--migration'])
    const applied = await app.applyMigrations()
    await app.generateClient()
    note(dim(`applied ${applied.join(', ')} (what \`prisma migrate dev\` does) and regenerated the client`))

    heading('jobs-kit g job')
    await runShown(app, 'jobs-kit g job SendWelcomeEmail', 'node', [cli, 'g', 'job', 'SendWelcomeEmail', '--yes'])
    await runShown(app, 'jobs-kit g job SyncCrm', 'node', [cli, 'g', 'job', 'SyncCrm', '--yes'])
    const jobsDir = join(app.dir, 'src/jobs')
    writeFileSync(join(jobsDir, 'SendWelcomeEmailJob/SendWelcomeEmailJob.ts'), SEND_WELCOME_EMAIL)
    writeFileSync(join(jobsDir, 'SyncCrmJob/SyncCrmJob.ts'), SYNC_CRM)
    note('The demo fills in both jobs. SyncCrmJob:')
    for (const line of SYNC_CRM.trimEnd().split('\n')) console.log(`   ${dim('│')} ${line}`)

    heading('The app schedules jobs with later()')
    writeFileSync(join(app.dir, 'scripts/sign-up.ts'), SIGN_UP_SCRIPT)
    await runShown(app, 'tsx scripts/sign-up.ts', join(app.dir, 'node_modules/.bin/tsx'), ['scripts/sign-up.ts'])
    await printJobsTable(app)

    heading('The worker runs what is due')
    await runShown(app, 'npm run jobs -- workoff', 'npm', ['run', 'jobs', '--', 'workoff'])
    await printJobsTable(app)
    note('SyncCrmJob failed once: it is unlocked with its error and retried after 1⁴ = 1 s.')

    heading('The retry')
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    await runShown(app, 'npm run jobs -- workoff', 'npm', ['run', 'jobs', '--', 'workoff'])
    await printJobsTable(app)
    await runShown(app, 'npm run jobs -- status', 'npm', ['run', 'jobs', '--', 'status'])

    const users = await app.database.query<{ email: string; welcomedAt: unknown }>('SELECT email, welcomedAt FROM "User" ORDER BY id')
    for (const user of users) note(`${user.email}: ${user.welcomedAt ? paint('green', 'welcomed') : 'not welcomed'}`)

    console.log(`\n${paint('green', bold('Done'))} in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
    if (keep) {
      note(`The app is in ${bold(app.dir)} (DATABASE_URL=${app.database.url}).`)
      note(`Try: cd ${app.dir} && DATABASE_URL=${app.database.url} npm run jobs -- status`)
    } else {
      note(dim('The app is deleted; run `npm run demo -- --keep` to keep it.'))
    }
  } catch (error) {
    console.error(paint('red', `\nThe demo failed. Commands run in ${relative(process.cwd(), app.dir) || app.dir}:`))
    console.error(app.transcript.join('\n\n'))
    throw error
  } finally {
    if (!keep) await app.remove()
  }
}

main().catch((error: unknown) => {
  console.error(paint('red', error instanceof Error ? error.message : String(error)))
  process.exitCode = 1
})
