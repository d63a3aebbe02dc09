/**
 * The jobs runner: `node --import tsx lib/jobs-kit/runner/cli.ts --config lib/jobs.ts <command>`
 * (or `node …/cli.js` for JavaScript apps; the app's `jobs` npm script runs it).
 *
 * This file only notes a SIGINT that comes while the runner starts, before it
 * loads anything else (`startup-signals.ts`), then loads the commands
 * (`cli-main.ts`): loading them, the app's config and its Prisma client takes
 * a second or more, and a Ctrl-C then must stop a worker gracefully (exit 0)
 * rather than kill it (130). Exit codes: see `cli-main.ts` and docs/worker.md.
 */
import { guardStartup } from './startup-signals.js'

guardStartup()
import('./cli-main.js').catch((error: unknown) => {
  console.error('jobs-kit: unexpected error:', error)
  process.exit(1)
})
