/**
 * What `status` (and the dashboard's worker list) says when the app's
 * database cannot be read through its Prisma client: the reason in one line
 * and what to do, instead of Prisma's message. That message starts with a
 * code frame of the call (`Invalid \`delegate.groupBy()\` invocation in …`);
 * from a Prisma 6 client the frame quotes its minified runtime, one line of
 * several thousand characters.
 *
 * Read from the error's code (Prisma's P1001, P1003, P1000/P1010, P2021),
 * the driver adapter's `kind`, and for MariaDB (whose pool reports every
 * failed connection as a pool timeout, P2039) the connection's own error.
 */

/** Where users' apps usually keep the URL their Prisma client connects with. */
const URL_HINT = 'the URL your Prisma client connects with (DATABASE_URL in most apps)'

/** The reason a query on the table of Prisma model `model` failed, and what to do: two lines, no code frame. */
export function explainDatabaseFailure(thrown: unknown, model: string): string {
  const error = (thrown ?? {}) as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: Record<string, unknown> } } }
  const code = typeof error.code === 'string' ? error.code : ''
  const cause = error.meta?.driverAdapterError?.cause ?? {}
  const kind = typeof cause.kind === 'string' ? cause.kind : ''
  // MariaDB: the pool's "failed to retrieve a connection" hides the connection's error in cause.cause.
  const connection = typeof cause.cause === 'string' ? cause.cause : ''
  const reason = connection || lastLine(typeof error.message === 'string' ? error.message : String(thrown))
  const text = `${code} ${kind} ${connection} ${reason}`

  if (isMissingTable(thrown)) {
    return `${reason}\n  The table of model ${model} is not in this database: apply the jobs-kit migration (\`npx prisma migrate deploy\`, or \`npx prisma db push\` in an app without migrations), or check that ${URL_HINT} is this app's database.`
  }
  if (code === 'P1003' || kind === 'DatabaseDoesNotExist' || /Unknown database|database .* does not exist/i.test(text)) {
    return `${reason}\n  Check the database name in ${URL_HINT}, or create the database (\`npx prisma migrate deploy\` creates it with the app's tables).`
  }
  if (code === 'P1000' || code === 'P1010' || kind === 'DatabaseAccessDenied' || kind === 'AuthenticationFailed' || /Access denied|authentication failed|role .* does not exist/i.test(text)) {
    return `${reason}\n  Check the user and password in ${URL_HINT}.`
  }
  if (code === 'P1001' || code === 'P1002' || kind === 'DatabaseNotReachable' || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|Can't reach database server/i.test(text)) {
    return `${reason}\n  Is the database server running? Check the host and port in ${URL_HINT}.`
  }
  if (/Cannot open database|unable to open database/i.test(reason)) {
    return `${reason}\n  Check the file path in ${URL_HINT}.`
  }
  return reason
}

/**
 * The query failed because its table is not in the database (or not in the
 * schema it was looked for in): Prisma's P2021, a driver adapter's
 * `TableDoesNotExist`, PostgreSQL's 42P01 (raw queries through Prisma, P2010,
 * and the `pg` pool), SQLite's "no such table", MySQL's "doesn't exist".
 */
export function isMissingTable(thrown: unknown): boolean {
  const error = (thrown ?? {}) as { code?: unknown; message?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: Record<string, unknown> } } }
  const kind = error.meta?.driverAdapterError?.cause?.kind
  if (error.code === 'P2021' || error.code === '42P01' || error.meta?.code === '42P01' || kind === 'TableDoesNotExist') return true
  const message = typeof error.message === 'string' ? error.message : String(thrown)
  return /no such table|doesn't exist|does not exist in the current database|relation "[^"]*" does not exist|Code: `42P01`/i.test(message)
}

/** The last non-empty line: Prisma puts the reason after its code frame. */
function lastLine(message: string): string {
  const lines = message.split('\n').map((line) => line.trim()).filter((line) => line.length > 0)
  return lines[lines.length - 1] ?? message
}
