import type { DatabaseUrls } from '../../project/detect-database-url.js'
import type { Language } from '../../project/detect-language.js'

/** What the config gets so workers pick up new jobs fast, and what setup tells the user about it. */
export interface FastPickup {
  /** Lines before `new JobManager(…)` (comments and the URL constants), without indentation. */
  preludeLines: string[]
  /** Lines inside `new PrismaAdapter({ db, … })`, after `db` and `model`, without indentation. */
  adapterLines: string[]
  /** Printed after setup: why an option is off, and what to do about it. */
  notes: string[]
  /** A next step: the command and why. */
  nextSteps: [command: string, why: string][]
}

export interface FastPickupInput {
  provider: string
  language: Language
  /** PostgreSQL and MySQL only. */
  urls: DatabaseUrls | null
  /** SQLite only: `--sqlite-wal` (default) or `--no-sqlite-wal`, or the answer to the prompt. */
  sqliteWal: boolean
  /** SQLite only: the app can import `better-sqlite3` (a dependency, or through `@prisma/adapter-better-sqlite3` outside pnpm). */
  hasBetterSqlite3?: boolean
  /** `npm install pg`, `pnpm add pg`, … */
  installPg: string
  /** `npm install mariadb`, … (MySQL). */
  installMariadb?: string
  /** The config file, for the next steps. */
  configPath: string
}

/**
 * Decides how the config `setup` writes gets jobs to workers quickly:
 *
 * - PostgreSQL with `pg`: the adapter's `pg` (worker queries on a pg pool)
 *   and `notify` (LISTEN/NOTIFY) options on, with the URL the app's client
 *   uses. LISTEN needs a session of its own, which a transaction pooler
 *   cannot give: then `notify` takes the app's direct URL, or stays off with
 *   a note. Prisma Accelerate URLs are not PostgreSQL URLs at all.
 * - PostgreSQL without `pg`: the two lines, commented, and a next step.
 * - SQLite: `sqliteWal` unless declined; workers in other processes wake on
 *   commits anyway (the adapter watches the database file by default). With
 *   `better-sqlite3` importable, `betterSqlite3: true`: the worker's
 *   statements on a better-sqlite3 connection of the adapter's own, a third
 *   of the CPU per job of Prisma's raw queries (sqlite-direct.ts).
 * - MySQL/MariaDB with `mariadb` (apps on `@prisma/adapter-mariadb` have it):
 *   the adapter's `mariadb` option (worker queries on a mariadb pool) with
 *   the URL the app's client uses; without it, the line commented and a next
 *   step. MySQL has no LISTEN/NOTIFY: workers poll.
 */
export function planFastPickup(input: FastPickupInput): FastPickup {
  if (input.provider === 'sqlite') {
    const adapterLines = input.sqliteWal
      ? [
          '// WAL journal: reads never wait for a write, and a commit is one append. Set on the',
          '// database file when a worker starts, and kept by the file (--no-sqlite-wal to leave it).',
          'sqliteWal: true,',
        ]
      : []
    if (input.hasBetterSqlite3) {
      adapterLines.push(
        '// Workers run their queries on a better-sqlite3 connection of their own to the same file:',
        '// about a third of the CPU per job of Prisma\'s raw queries.',
        'betterSqlite3: true,',
      )
    }
    return {
      preludeLines: [],
      adapterLines,
      notes: [],
      nextSteps: [],
    }
  }
  if (input.provider === 'mysql' && input.urls) return planMysql(input, input.urls)
  if (input.provider !== 'postgresql' || !input.urls) return { preludeLines: [], adapterLines: [], notes: [], nextSteps: [] }

  const { urls } = input
  const bang = input.language === 'ts' ? '!' : ''
  const app = urls.app.name
  if (!urls.hasPg) {
    return {
      preludeLines: [],
      adapterLines: [
        `// With the \`pg\` package (${input.installPg}), workers hear of a new job at once (LISTEN/NOTIFY)`,
        '// instead of at their next poll, and run their queries on a small pg pool: uncomment these.',
        `// pg: { connectionString: process.env.${app}${bang} },`,
        `// notify: { connectionString: process.env.${app}${bang} },`,
      ],
      notes: [],
      nextSteps: [[input.installPg, `then uncomment pg and notify in ${input.configPath}: jobs start within milliseconds, not at the next poll`]],
    }
  }

  // Where the workers' queries (pg) and the LISTEN connection (notify) go; null: off.
  const queryUrl = urls.accelerate ? urls.direct?.name ?? null : app
  const listenUrl = urls.direct ? urls.direct.name : urls.pooled ? null : app
  const notes: string[] = []
  const preludeLines = commentLines(
    'PostgreSQL through your `pg` package: workers run their queries on a small pg pool (less CPU ' +
      'than Prisma\'s raw queries) and hear of a new job at once (LISTEN/NOTIFY) instead of at their ' +
      `next poll. ${describeUrls(urls, queryUrl, listenUrl)} ` +
      'Either option is left out while its variable is unset (a build step, say): workers then poll.',
  )
  const constants = new Map<string, string>()
  const constant = (name: string) => {
    if (!constants.has(name)) constants.set(name, constants.size === 0 ? 'databaseUrl' : 'listenUrl')
    return constants.get(name)!
  }
  const adapterLines: string[] = []
  if (queryUrl) adapterLines.push(`pg: ${constant(queryUrl)} ? { connectionString: ${constant(queryUrl)} } : undefined,`)
  else adapterLines.push(...commentLines(`pg is off: ${urls.pooled}; pg needs a PostgreSQL URL (a direct one, as directUrl).`, 92))
  if (listenUrl) adapterLines.push(`notify: ${constant(listenUrl)} ? { connectionString: ${constant(listenUrl)} } : undefined,`)
  else {
    adapterLines.push(
      ...commentLines(`notify (LISTEN/NOTIFY) is off: ${urls.pooled}, and LISTEN needs a session of its own.`, 92),
      '// Give workers a direct URL to listen on: notify: { connectionString: process.env.DIRECT_URL },',
    )
    notes.push(
      `LISTEN/NOTIFY is off in ${input.configPath}: ${urls.pooled}, and a pooled connection cannot LISTEN. ` +
        'Workers poll every sleepDelay. To have jobs start within milliseconds, give the workers a direct (unpooled) URL: ' +
        `notify: { connectionString: process.env.DIRECT_URL } (or add directUrl to your datasource and run setup again).`,
    )
  }
  for (const [name, variable] of constants) preludeLines.push(`const ${variable} = process.env.${name}`)
  return { preludeLines, adapterLines, notes, nextSteps: [] }
}

/** MySQL/MariaDB: the `mariadb` option when the app can import `mariadb`, else the line commented and a next step. */
function planMysql(input: FastPickupInput, urls: DatabaseUrls): FastPickup {
  const bang = input.language === 'ts' ? '!' : ''
  const app = urls.app.name
  const install = input.installMariadb ?? 'npm install mariadb'
  if (urls.accelerate) {
    return {
      preludeLines: [],
      adapterLines: commentLines(`mariadb is off: ${app} is a Prisma Accelerate URL; mariadb needs a mysql:// URL (your directUrl).`, 92),
      notes: [],
      nextSteps: [],
    }
  }
  if (!urls.hasMariadb) {
    return {
      preludeLines: [],
      adapterLines: [
        `// With the \`mariadb\` package (${install}), workers run their queries on a small mariadb pool,`,
        '// less CPU and fewer round trips than Prisma\'s raw queries: uncomment this.',
        `// mariadb: { connectionString: process.env.${app}${bang} },`,
      ],
      notes: [],
      nextSteps: [[install, `then uncomment mariadb in ${input.configPath}: workers use less CPU per job`]],
    }
  }
  return {
    preludeLines: [
      ...commentLines(
        'MySQL/MariaDB through your `mariadb` package: workers run their queries on a small mariadb pool (less CPU ' +
          `and fewer round trips than Prisma's raw queries). The URL is ${app}, as in ${urls.app.foundIn}. ` +
          'Left out while the variable is unset (a build step, say): workers then query through Prisma.',
      ),
      `const databaseUrl = process.env.${app}`,
    ],
    adapterLines: ['mariadb: databaseUrl ? { connectionString: databaseUrl } : undefined,'],
    notes: [],
    nextSteps: [],
  }
}

function describeUrls(urls: DatabaseUrls, queryUrl: string | null, listenUrl: string | null): string {
  const found = (name: string) => (name === urls.app.name ? urls.app : urls.direct!).foundIn
  if (queryUrl && queryUrl === listenUrl) return `The URL is ${queryUrl}, as in ${found(queryUrl)}.`
  const parts: string[] = []
  if (queryUrl) parts.push(`Queries use ${queryUrl} (${found(queryUrl)})`)
  if (listenUrl) {
    const why = urls.pooled ?? `${urls.app.name} may go through a pooler (the app has a direct URL)`
    parts.push(`LISTEN uses ${listenUrl} (${found(listenUrl)}): ${why}`)
  }
  return `${parts.join('; ')}.`
}

/** `text` as `// ` comment lines of at most `width` characters (a longer word gets a line of its own). */
function commentLines(text: string, width = 100): string[] {
  const lines: string[] = []
  let line = '//'
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > width && line !== '//') {
      lines.push(line)
      line = '//'
    }
    line += ` ${word}`
  }
  lines.push(line)
  return lines
}
