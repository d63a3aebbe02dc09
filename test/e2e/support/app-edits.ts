/**
 * The edits a developer makes after `jobs-kit setup` and `g job`, done on an
 * app copy as plain text: the app's sign-up service schedules the welcome
 * email, and the job does something we can see (it marks the user welcomed
 * and appends a line to `welcome-emails.log` in the app's root).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

/** The file the edited job appends one line to per run: `<userId>`. */
export const WELCOME_LOG = 'welcome-emails.log'

/** Edits a file as LF text and writes it back in its own line endings (a CRLF checkout stays CRLF). */
function editFile(path: string, edit: (source: string) => string): void {
  const source = readFileSync(path, 'utf8')
  const crlf = source.includes('\r\n')
  const edited = edit(crlf ? source.replaceAll('\r\n', '\n') : source)
  writeFileSync(path, crlf ? edited.replaceAll('\n', '\r\n') : edited)
}

/** Adds import lines (or requires, in CommonJS) after the module's last top-level import. */
export function addImports(source: string, lines: string[]): string {
  const all = source.split('\n')
  let last = -1
  all.forEach((line, index) => {
    if (/^import\s.*['"];?\s*$/.test(line) || /^const\s.*=\s*require\(['"].*['"]\);?\s*$/.test(line)) last = index
  })
  all.splice(last + 1, 0, ...lines)
  return all.join('\n')
}

/**
 * Makes `createUser` schedule the welcome email twice: now, and with `{ wait: 1 }`.
 * The service returns `user` from a local, as each fixture's does.
 */
export function scheduleWelcomeEmail(servicePath: string, imports: { later: string; job: string }): void {
  editFile(servicePath, (source) => scheduleIn(servicePath, source, imports))
}

function scheduleIn(servicePath: string, source: string, imports: { later: string; job: string }): string {
  const esm = !/require\(/.test(source)
  const importLines = esm
    ? [`import { later } from '${imports.later}'`, `import { SendWelcomeEmailJob } from '${imports.job}'`]
    : [`const { later } = require('${imports.later}')`, `const { SendWelcomeEmailJob } = require('${imports.job}')`]
  const marker = '\n  return user\n'
  if (!source.includes(marker)) throw new Error(`${servicePath}: no "return user" line to schedule the job before`)
  return addImports(source, importLines).replace(
    marker,
    '\n  await later(SendWelcomeEmailJob, [user.id])\n  await later(SendWelcomeEmailJob, [user.id], { wait: 1 })\n  return user\n',
  )
}

/**
 * Gives the generated job a visible effect: it sets the user's `welcomedAt`
 * through the app's own Prisma client and appends the user's id to the log.
 */
export function addWelcomeSideEffect(jobPath: string, appDir: string, db: { path: string; exportName: string }): void {
  editFile(jobPath, (source) => withWelcomeSideEffect(jobPath, source, appDir, db))
}

function withWelcomeSideEffect(jobPath: string, source: string, appDir: string, db: { path: string; exportName: string }): string {
  const esm = !/require\(/.test(source)
  const configImport = /(?:from\s+|import\s+|require\()['"]([^'"]+)['"]/.exec(source)?.[1] ?? ''
  let dbSpecifier = relative(dirname(jobPath), join(appDir, db.path)).replace(/\.(ts|js)$/, '')
  if (!dbSpecifier.startsWith('.')) dbSpecifier = `./${dbSpecifier}`
  if (configImport.endsWith('.js')) dbSpecifier += '.js'
  const importLines = esm
    ? [`import { appendFileSync } from 'node:fs'`, `import { ${db.exportName} } from '${dbSpecifier}'`]
    : [`const { appendFileSync } = require('node:fs')`, `const { ${db.exportName} } = require('${dbSpecifier}')`]
  // `jobs.logger` in a createJob job, `this.logger` in a class-style one (`g job --class`).
  const logLine = /\n(\s*)(?:jobs|this)\.logger\.info\(`SendWelcomeEmailJob: performing for user \$\{userId\}`\)\n/
  const match = logLine.exec(source)
  if (!match) throw new Error(`${jobPath}: the generated perform body changed; update addWelcomeSideEffect`)
  const indent = match[1]
  const effect = [
    match[0].trimEnd(),
    `${indent}await ${db.exportName}.user.update({ where: { id: userId }, data: { welcomedAt: new Date() } })`,
    `${indent}appendFileSync('${WELCOME_LOG}', \`\${userId}\\n\`)`,
    '',
  ].join('\n')
  return addImports(source.replace(logLine, `${effect}`), importLines)
}

/** The user ids in the welcome log, one per job run. */
export function readWelcomeLog(appDir: string): number[] {
  const file = join(appDir, WELCOME_LOG)
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number)
}

/**
 * The jobs table: the model `setup` added (the one with `lockedBy`), or its `@@map` name.
 * Reads every `.prisma` file under the schema path (a file or a folder).
 */
export function findJobsTable(schemaTexts: string[]): string {
  for (const text of schemaTexts) {
    for (const match of text.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)) {
      const [, model, body] = match
      if (!/\blockedBy\b/.test(body!)) continue
      return /@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? model!
    }
  }
  throw new Error('No jobs model (a model with lockedBy) in the schema')
}

/**
 * Writes a type-check probe next to the service: the calls must compile, and
 * the `@ts-expect-error` lines must be errors (tsc reports an unused
 * directive otherwise), so `later()`'s arguments really are checked against
 * `perform` and a job's queue against the configured queues.
 */
export function writeTypeProbe(servicePath: string, imports: { later: string; job: string; jobs: string }): string {
  const probe = join(dirname(servicePath), 'jobs-kit-type-probe.ts')
  writeFileSync(
    probe,
    [
      `import { jobs, later } from '${imports.jobs}'`,
      `import { SendWelcomeEmailJob } from '${imports.job}'`,
      '',
      'export async function probe(): Promise<number[]> {',
      '  const ids = [await later(SendWelcomeEmailJob, [1]), await later(SendWelcomeEmailJob, [2], { wait: 60, priority: 1 })]',
      '  ids.push(await SendWelcomeEmailJob.set({ waitUntil: new Date() }).performLater(3))',
      '  // @ts-expect-error perform takes a number',
      "  await later(SendWelcomeEmailJob, ['not a number'])",
      '  // @ts-expect-error perform takes one argument',
      '  await SendWelcomeEmailJob.perform()',
      '  // @ts-expect-error no such queue in the config',
      "  jobs.createJob({ queue: 'no-such-queue', perform: async () => {} })",
      '  return ids',
      '}',
      '',
    ].join('\n'),
  )
  return probe
}
