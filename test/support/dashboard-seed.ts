/** The 100,000 jobs of the dashboard's benchmark (bench/dashboard.ts) and of its 100,000-job tests, as one INSERT … SELECT per database. */

export type SeedProvider = 'postgresql' | 'sqlite' | 'mysql'

/**
 * The table's mix, by id modulo 100: 60 % waiting, 15 % scheduled, 20 %
 * failed (with an error), 4 % kept after success, 1 % running; three
 * queues, five job names, arguments with a user id and some text.
 */
export function seedDashboardJobsSql(provider: SeedProvider, count: number): string {
  if (provider === 'mysql') return seedMysql(count)
  // SQLite: text in the form Prisma's SQLite adapter writes (`2026-01-01T00:00:00.000+00:00`), which compares as text.
  const iso = new Date().toISOString().replace('Z', '')
  const now = provider === 'postgresql' ? `TIMESTAMP '${iso.replace('T', ' ')}'` : `'${iso}+00:00'`
  const plus = (seconds: string) =>
    provider === 'postgresql'
      ? `${now} + (${seconds}) * INTERVAL '1 second'`
      : `strftime('%Y-%m-%dT%H:%M:%f', '${iso}', (${seconds}) || ' seconds') || '+00:00'`
  const text = provider === 'postgresql' ? '::text' : ''
  const names = `(CASE i % 5 WHEN 0 THEN 'SendWelcomeEmailJob' WHEN 1 THEN 'ResizeImageJob' WHEN 2 THEN 'SyncInvoicesJob' WHEN 3 THEN 'ReportJob' ELSE 'CleanupJob' END)`
  const columns = `"handler", "queue", "priority", "runAt", "attempts", "lockedAt", "lockedBy", "lastError", "failedAt", "createdAt", "updatedAt"`
  const select = `SELECT
      '{"name":"' || ${names} || '","path":"x/x","args":[{"userId":' || i${text} || ',"note":"order ' || (i * 7919 % 100000)${text} || '"}]}',
      (CASE i % 3 WHEN 0 THEN 'default' WHEN 1 THEN 'email' ELSE 'reports' END),
      50,
      (CASE WHEN i % 100 < 60 THEN ${plus('-(i % 3600)')} WHEN i % 100 < 75 THEN ${plus('i % 86400 + 60')} WHEN i % 100 < 95 THEN ${plus('-7200')} WHEN i % 100 < 99 THEN NULL ELSE ${plus('-1')} END),
      (CASE WHEN i % 100 >= 60 AND i % 100 < 95 AND i % 100 >= 75 THEN 24 ELSE 0 END),
      (CASE WHEN i % 100 = 99 THEN ${now} ELSE NULL END),
      (CASE WHEN i % 100 = 99 THEN 'bench-host:jobs-kit-worker.default.' || (i % 4)${text} ELSE NULL END),
      (CASE WHEN i % 100 >= 75 AND i % 100 < 95 THEN 'Error: SMTP timeout for user ' || i${text} || '\n    at send (mailer.ts:12:7)' ELSE NULL END),
      (CASE WHEN i % 100 >= 75 AND i % 100 < 95 THEN ${plus('-(i % 7200)')} ELSE NULL END),
      ${plus('-(100000 - i)')}, ${now}`
  if (provider === 'postgresql') return `INSERT INTO "BackgroundJob" (${columns}) ${select} FROM generate_series(1, ${count}) AS i`
  return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}) INSERT INTO "BackgroundJob" (${columns}) ${select} FROM n`
}

/** The same mix in MySQL/MariaDB's dialect (CONCAT, DATETIME(3) arithmetic, a recursive CTE for the numbers). */
function seedMysql(count: number): string {
  const now = `TIMESTAMP '${new Date().toISOString().replace('T', ' ').replace('Z', '')}'`
  const plus = (seconds: string) => `${now} + INTERVAL (${seconds}) SECOND`
  const names = `(CASE i % 5 WHEN 0 THEN 'SendWelcomeEmailJob' WHEN 1 THEN 'ResizeImageJob' WHEN 2 THEN 'SyncInvoicesJob' WHEN 3 THEN 'ReportJob' ELSE 'CleanupJob' END)`
  const columns = '`handler`, `queue`, `priority`, `runAt`, `attempts`, `lockedAt`, `lockedBy`, `lastError`, `failedAt`, `createdAt`, `updatedAt`'
  // Numbers 1..count from a cross join of digit tables: MariaDB stops a recursive CTE at 1,000 rows by default (max_recursive_iterations).
  const digits = (name: string) => `(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) ${name}`
  const numbers = `SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d + 1 AS i FROM ${['a', 'b', 'c', 'e', 'f', 'g'].map(digits).join(', ')}`
  return `INSERT INTO \`BackgroundJob\` (${columns}) SELECT
      CONCAT('{"name":"', ${names}, '","path":"x/x","args":[{"userId":', i, ',"note":"order ', (i * 7919 % 100000), '"}]}'),
      (CASE i % 3 WHEN 0 THEN 'default' WHEN 1 THEN 'email' ELSE 'reports' END),
      50,
      (CASE WHEN i % 100 < 60 THEN ${plus('-(i % 3600)')} WHEN i % 100 < 75 THEN ${plus('i % 86400 + 60')} WHEN i % 100 < 95 THEN ${plus('-7200')} WHEN i % 100 < 99 THEN NULL ELSE ${plus('-1')} END),
      (CASE WHEN i % 100 >= 75 AND i % 100 < 95 THEN 24 ELSE 0 END),
      (CASE WHEN i % 100 = 99 THEN ${now} ELSE NULL END),
      (CASE WHEN i % 100 = 99 THEN CONCAT('bench-host:jobs-kit-worker.default.', i % 4) ELSE NULL END),
      (CASE WHEN i % 100 >= 75 AND i % 100 < 95 THEN CONCAT('Error: SMTP timeout for user ', i, '\\n    at send (mailer.ts:12:7)') ELSE NULL END),
      (CASE WHEN i % 100 >= 75 AND i % 100 < 95 THEN ${plus('-(i % 7200)')} ELSE NULL END),
      ${plus('-(100000 - i)')}, ${now}
    FROM (${numbers}) AS n WHERE i <= ${count} ORDER BY i`
}

