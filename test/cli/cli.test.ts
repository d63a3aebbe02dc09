import { rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { jsCjsApp, tsEsmApp } from '../../src/generators/setup/__fixtures__/apps.js'
import { runCli, runCliOnTerminal, snapshotDir, writeApp } from './run-cli.js'

const dirs: string[] = []
const app = (files: Record<string, string>) => {
  const dir = writeApp(files)
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('jobs-kit command line', () => {
  it('--help exits 0 and lists the commands', async () => {
    const { code, stdout } = await runCli(['--help'])
    expect(code).toBe(0)
    for (const command of ['setup', 'generate', 'destroy', '--dry-run', '--force', '--yes', '--cwd']) expect(stdout).toContain(command)
  })

  it('--help on a command shows its options', async () => {
    const setup = await runCli(['setup', '--help'])
    expect(setup.code).toBe(0)
    for (const option of ['--schema', '--migration', '--ts', '--js', '--db']) expect(setup.stdout).toContain(option)
    const job = await runCli(['g', 'job', '--help'])
    expect(job.code).toBe(0)
    for (const option of ['--queue', '--priority', '--ts', '--js']) expect(job.stdout).toContain(option)
  })

  it('exits 2 with advice on an unknown command, and on a missing job name', async () => {
    const unknown = await runCli(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^error: .*frobnicate/m)
    expect(unknown.stderr).toMatch(/^→ .*--help/m)
    const missing = await runCli(['g', 'job'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/^error: /m)
  })

  it('exits 1 with what was wrong and what to do, printed once, and writes nothing', async () => {
    const dir = app({ 'README.md': 'not an app\n' })
    const { code, stderr, stdout } = await runCli(['setup', '--cwd', dir])
    expect(code).toBe(1)
    expect(stderr.match(/^error: /gm)).toHaveLength(1)
    expect(stderr).toMatch(/^error: no package.json in /m)
    expect(stderr).toMatch(/^→ .*npm init/m)
    expect(stdout).toBe('')
    expect(snapshotDir(dir)).toEqual({ 'README.md': 'not an app\n' })
  })

  it('exits 1 with advice when the app has no Prisma schema', async () => {
    const dir = app({ 'package.json': '{ "name": "x" }\n' })
    const { code, stderr } = await runCli(['setup', '--cwd', dir, '--yes'])
    expect(code).toBe(1)
    expect(stderr).toMatch(/^error: .*Prisma schema/im)
    expect(snapshotDir(dir)).toEqual({ 'package.json': '{ "name": "x" }\n' })
  })

  it('prints schema errors to a pipe without colour codes, and names the folder when --schema is one file of a multi-file schema', async () => {
    const datasource = 'datasource db {\n  provider = "sqlite"\n}\n\ngenerator client {\n  provider = "prisma-client"\n  output   = "../../generated"\n}\n'
    const dir = app({
      'package.json': '{ "name": "x" }\n',
      'prisma/schema/schema.prisma': `${datasource}\nmodel Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n`,
      'prisma/schema/user.prisma': 'model User {\n  id    Int    @id\n  posts Post[]\n}\n',
    })
    const before = snapshotDir(dir)
    const oneFile = await runCli(['setup', '--cwd', dir, '--yes', '--schema', 'prisma/schema/schema.prisma'])
    expect(oneFile.code).toBe(1)
    expect(oneFile.stderr).toMatch(/Pass the folder: --schema prisma\/schema\b/)
    expect(oneFile.stderr.trim().split('\n').length).toBeLessThan(4)

    writeFileSync(join(dir, 'prisma/schema/user.prisma'), 'model User {\n  id    Int    @id\n  posts Post[]\n  team  Team\n}\n')
    const invalid = await runCli(['setup', '--cwd', dir, '--yes'])
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toMatch(/does not validate[\s\S]*Team/)
    expect(invalid.stderr).not.toMatch(/\u001b\[/)
    expect(snapshotDir(dir)).toEqual({ ...before, 'prisma/schema/user.prisma': readFileSync(join(dir, 'prisma/schema/user.prisma'), 'utf8') })
  })

  it('refuses --migration in an app that uses prisma db push, and --force-migration writes it', async () => {
    const pkg = JSON.parse(tsEsmApp['package.json']!) as Record<string, unknown>
    const dir = app({ ...tsEsmApp, 'package.json': JSON.stringify({ ...pkg, scripts: { 'db:push': 'prisma db push' } }) })
    const before = snapshotDir(dir)
    const refused = await runCli(['setup', '--cwd', dir, '--yes', '--migration'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/prisma db push.*--force-migration/s)
    expect(snapshotDir(dir)).toEqual(before)
    const forced = await runCli(['setup', '--cwd', dir, '--yes', '--migration', '--force-migration'])
    expect(forced.code).toBe(0)
    expect(existsSync(join(dir, 'prisma/migrations/migration_lock.toml'))).toBe(true)
  })

  it('--dry-run lists every change with diffs and writes nothing', async () => {
    const dir = app(tsEsmApp)
    const before = snapshotDir(dir)
    const { code, stdout } = await runCli(['setup', '--cwd', dir, '--dry-run', '--migration'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^create +src\/lib\/jobs\.ts$/m)
    expect(stdout).toMatch(/^update +package\.json$/m)
    expect(stdout).toContain('+    "jobs": "node --import tsx src/lib/jobs-kit/runner/cli.ts --config src/lib/jobs.ts"')
    expect(stdout).toMatch(/Dry run: nothing was written/)
    expect(snapshotDir(dir)).toEqual(before)
  })

  it('--dry-run shows the schema and config first, the vendored runtime and its base copies one line each; --full-diff shows them all', async () => {
    const dir = app(tsEsmApp)
    const { code, stdout } = await runCli(['setup', '--cwd', dir, '--dry-run', '--migration'])
    expect(code).toBe(0)
    const listed = stdout.split('\n').filter((line) => /^(create|update|skip|conflict|delete) +\S/.test(line))
    expect(listed[0]).toMatch(/^update +prisma\/schema\.prisma$/)
    expect(listed.slice(1, 4).join('\n')).toMatch(/migrations[\s\S]*src\/lib\/jobs\.ts/)
    expect(listed.filter((line) => line.includes('src/lib/jobs-kit/'))).toEqual([expect.stringMatching(/^create +src\/lib\/jobs-kit\/ \(\d+ files.*--full-diff/)])
    expect(listed.filter((line) => line.includes('.jobs-kit/base/'))).toEqual([expect.stringMatching(/^create +\.jobs-kit\/base\/ \(\d+ files.*--full-diff/)])
    // ~10,000 lines before; what is left is mostly jobs-kit.json, which records a hash per vendored file
    // (four lines each), so the budget grows with the number of runtime files but not with their contents.
    // The rest (~275 lines) is the schema's three models, their migrations and the config's adapter options.
    const vendoredFiles = Number(/src\/lib\/jobs-kit\/ \((\d+) files/.exec(stdout)?.[1])
    expect(vendoredFiles).toBeGreaterThan(10)
    expect(stdout.split('\n').length).toBeLessThan(320 + 4 * vendoredFiles)

    const full = await runCli(['setup', '--cwd', dir, '--dry-run', '--full-diff'])
    expect(full.code).toBe(0)
    expect(full.stdout).toMatch(/^create +src\/lib\/jobs-kit\/worker\/worker\.ts$/m)
    expect(full.stdout).toMatch(/^create +\.jobs-kit\/base\/src\/lib\/jobs-kit\/worker\/worker\.ts\.base$/m)
    expect(full.stdout).toContain('+++ b/src/lib/jobs-kit/worker/worker.ts')
  })

  it('a real run lists the vendored runtime and its base copies one line each', async () => {
    const dir = app(tsEsmApp)
    const { code, stdout } = await runCli(['setup', '--cwd', dir, '--yes'])
    expect(code).toBe(0)
    expect(stdout.split('\n').filter((line) => line.includes('.jobs-kit/base/'))).toEqual([expect.stringMatching(/^create +\.jobs-kit\/base\/ \(\d+ files\)$/)])
  })

  it('sets up without a TTY or --yes, then finds nothing to change the second time', async () => {
    const dir = app(tsEsmApp)
    const first = await runCli(['setup', '--cwd', dir])
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^create +src\/lib\/jobs\.ts$/m)
    expect(first.stdout).toMatch(/Next:/)
    expect(first.stdout).toContain('pnpm jobs work')
    expect(existsSync(join(dir, 'src/lib/jobs-kit/runner/cli.ts'))).toBe(true)
    expect(JSON.parse(readFileSync(join(dir, 'jobs-kit.json'), 'utf8')).paths.config).toBe('src/lib/jobs.ts')

    const after = snapshotDir(dir)
    const second = await runCli(['setup', '--cwd', dir])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/already set up/)
    expect(snapshotDir(dir)).toEqual(after)
  })

  it('refuses to overwrite an existing config without --force, showing the diff, and overwrites it with --force', async () => {
    const dir = app({ ...jsCjsApp, 'lib/jobs.js': '// mine\n' })
    const before = snapshotDir(dir)

    const refused = await runCli(['setup', '--cwd', dir, '--yes'])
    expect(refused.code).toBe(1)
    expect(refused.stdout).toMatch(/^conflict +lib\/jobs\.js$/m)
    expect(refused.stdout).toContain('-// mine')
    expect(refused.stderr).toMatch(/^error: .*lib\/jobs\.js/m)
    expect(refused.stderr).toMatch(/^→ .*--force/m)
    expect(snapshotDir(dir)).toEqual(before)

    const forced = await runCli(['setup', '--cwd', dir, '--yes', '--force'])
    expect(forced.code).toBe(0)
    expect(readFileSync(join(dir, 'lib/jobs.js'), 'utf8')).toMatch(/new JobManager/)
  })

  it('points at jobs-kit update when a second setup meets an edited vendored file', async () => {
    const dir = app(jsCjsApp)
    expect((await runCli(['setup', '--cwd', dir, '--yes'])).code).toBe(0)
    writeFileSync(join(dir, 'lib/jobs-kit/index.js'), '// edited\n')
    const refused = await runCli(['setup', '--cwd', dir, '--yes'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^error: a file already exists with different content: lib\/jobs-kit\/index\.js$/m)
    expect(refused.stderr).toMatch(/^→ .*jobs-kit update/m)
  })

  it('g job adds a job and d job removes it, leaving the app exactly as before', async () => {
    const dir = app(tsEsmApp)
    expect((await runCli(['setup', '--cwd', dir, '--yes'])).code).toBe(0)
    const setUp = snapshotDir(dir)

    const generated = await runCli(['g', 'job', 'send-welcome-email', '--queue', 'email', '--cwd', dir])
    expect(generated.code).toBe(0)
    expect(generated.stdout).toMatch(/^create +src\/jobs\/SendWelcomeEmailJob\/SendWelcomeEmailJob\.ts$/m)
    // The app has no test runner: the next steps say how to run the job's test with Node's (through tsx, which setup added).
    expect(generated.stdout).toMatch(/^Next:\n {2}node --import tsx --test src\/jobs\/SendWelcomeEmailJob\/SendWelcomeEmailJob\.test\.ts +# run the job's test$/m)
    expect(readFileSync(join(dir, 'src/jobs/index.ts'), 'utf8')).toContain('SendWelcomeEmailJob')

    const destroyed = await runCli(['d', 'job', 'SendWelcomeEmail', '--cwd', dir])
    expect(destroyed.code).toBe(0)
    expect(snapshotDir(dir)).toEqual(setUp)
  })

  it('on a terminal, asks before writing: no writes nothing, yes writes', async () => {
    const dir = app(tsEsmApp)
    const before = snapshotDir(dir)
    const declined = await runCliOnTerminal(['setup', '--cwd', dir], 'Write these', 'n\r')
    expect(declined.code).toBe(1)
    expect(declined.stdout).toMatch(/cancelled; nothing was written/)
    expect(snapshotDir(dir)).toEqual(before)

    const accepted = await runCliOnTerminal(['setup', '--cwd', dir], 'Write these', 'y\r')
    expect(accepted.code).toBe(0)
    expect(accepted.stdout).toMatch(/Next:/)
    expect(existsSync(join(dir, 'src/lib/jobs.ts'))).toBe(true)
  })

  it('on a terminal, offers to overwrite conflicting files', async () => {
    const dir = app({ ...jsCjsApp, 'lib/jobs.js': '// mine\n' })
    // A SQLite app: setup asks about WAL first (the default, yes, with Enter).
    const run = await runCliOnTerminal(['setup', '--cwd', dir], [['WAL journal mode', '\r'], ['Overwrite the conflicting files', 'y\r']])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/conflict +lib\/jobs\.js/)
    expect(readFileSync(join(dir, 'lib/jobs.js'), 'utf8')).toMatch(/new JobManager/)
  })

  it('SQLite apps: --dry-run shows sqliteWal in the config; --no-sqlite-wal leaves it out; a terminal asks', async () => {
    const dir = app(jsCjsApp)
    const byDefault = await runCli(['setup', '--cwd', dir, '--dry-run'])
    expect(byDefault.code).toBe(0)
    expect(byDefault.stdout).toMatch(/^ *\+ +sqliteWal: true,$/m)
    const declined = await runCli(['setup', '--cwd', dir, '--dry-run', '--no-sqlite-wal'])
    expect(declined.code).toBe(0)
    expect(declined.stdout).toMatch(/^ *\+ +prisma: new PrismaAdapter\(\{ db \}\),$/m)
    expect(declined.stdout).not.toMatch(/sqliteWal/)

    const asked = await runCliOnTerminal(['setup', '--cwd', dir], [['WAL journal mode', 'n\r'], ['Write these', 'y\r']])
    expect(asked.code).toBe(0)
    expect(readFileSync(join(dir, 'lib/jobs.js'), 'utf8')).toMatch(/new PrismaAdapter\(\{ db \}\)/)
    // Three setup runs: 55 s alone against the 60 s default at load 18–20 (a CI machine shared with other suites).
  }, 180_000)

  describe('an app with two modules exporting a Prisma client', () => {
    const twoClients = {
      ...tsEsmApp,
      'lib/prisma/index.ts': "import { PrismaClient } from '../../src/generated/prisma/client.js'\nexport const prisma = new PrismaClient()\n",
    }

    it('without a terminal, takes the first and says which, naming the other and --db', async () => {
      const dir = app(twoClients)
      const { code, stdout } = await runCli(['setup', '--cwd', dir, '--dry-run'])
      expect(code).toBe(0)
      expect(stdout).toMatch(/Prisma client: `db` of src\/lib\/db\.ts \(the first of 2 found: .*lib\/prisma\/index\.ts.*--db/)
    })

    it('on a terminal, asks which one the jobs config imports', async () => {
      const dir = app(twoClients)
      const run = await runCliOnTerminal(['setup', '--cwd', dir], [['Which module', '\u001b[B\r'], ['Write these', 'y\r']])
      expect(run.code).toBe(0)
      expect(readFileSync(join(dir, 'src/lib/jobs.ts'), 'utf8')).toMatch(/import \{ prisma as db \} from '\.\.\/\.\.\/lib\/prisma\/index\.js'/)
      expect(JSON.parse(readFileSync(join(dir, 'jobs-kit.json'), 'utf8'))).toMatchObject({ paths: { db: 'lib/prisma/index.ts' }, dbExport: 'prisma' })
    })
  })

  it('on a terminal, --yes never prompts', async () => {
    const dir = app(tsEsmApp)
    const run = await runCliOnTerminal(['setup', '--cwd', dir, '--yes'], 'never shown', '')
    expect(run.code).toBe(0)
    expect(run.stdout).not.toMatch(/Write these/)
    expect(existsSync(join(dir, 'src/lib/jobs.ts'))).toBe(true)
  })

  it('g job before setup exits 1 and says to run setup', async () => {
    const dir = app(tsEsmApp)
    const { code, stderr } = await runCli(['g', 'job', 'Foo', '--cwd', dir])
    expect(code).toBe(1)
    expect(stderr).toMatch(/setup/)
  })
})
