/**
 * One jobs-kit worker (runner CLI, --workoff) draining N jobs on a fresh PostgreSQL database under --cpu-prof
 * (profiles in $PROF_DIR/out, default /tmp/prof/out; read them with summarize-profile.ts).
 *
 *   tsx bench/experiments/profile-worker.ts [jobs=10000] [concurrency=1]
 */
import { spawnSync } from 'node:child_process'
import { createTestDatabase } from '../../test/support/databases.js'
import { generateTestClients } from '../../test/support/prisma-clients.js'
import { runnerArgs } from '../jobs-kit/runner-args.js'
const N = Number(process.argv[2] ?? 10000)
const conc = Number(process.argv[3] ?? 1)
const variant = process.argv[4] ?? ''
const profDir = process.env.PROF_DIR ?? '/tmp/prof'
await generateTestClients()
const database = await createTestDatabase('postgresql')
process.env.BENCH_PROVIDER = 'postgresql'
process.env.BENCH_DB_URL = database.url
const pg = (await import('pg')).default
const c = new pg.Client({ connectionString: database.url }); await c.connect()
await c.query(`INSERT INTO "BackgroundJob" (handler, queue, priority, "runAt", "createdAt", "updatedAt") SELECT '{"name":"NoopJob","path":"NoopJob/NoopJob","args":[]}', 'default', 50, now() - interval '1 hour' + (g || ' ms')::interval, now(), now() FROM generate_series(1, ${N}) g`)
await c.query('ANALYZE "BackgroundJob"')
const args = runnerArgs(0, { concurrency: conc, sleepDelaySeconds: 0.1 })
const idx = args.indexOf('--queue')
const t0 = Date.now()
const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}/out`, ...args, '--workoff'], { env: { ...process.env, BENCH_VARIANT: variant }, stdio: 'inherit', cwd: profDir })
const ms = Date.now() - t0
const left = (await c.query('select count(*) from "BackgroundJob"')).rows[0].count
console.log({ status: r.status, ms, perSec: (N / ms) * 1000, left })
await c.end(); await database.drop()
