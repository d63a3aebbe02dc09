#!/usr/bin/env node
/**
 * The `jobs-kit` command line. Each command is a small yargs module in
 * `src/commands/` that only declares its options; its handler imports the
 * heavy parts (ts-morph, handlebars, the Prisma wasm, @clack/prompts) when it
 * runs, so `jobs-kit --help` stays fast. To add a command, write
 * `src/commands/<name>.ts` exporting a `CommandModule` and add it to
 * `COMMANDS` below. `npm run build` bundles this file with yargs into
 * dist/cli.js and leaves the command modules as tsc builds them
 * (scripts/build-cli.mjs says why).
 *
 * This is the one place that prints errors and sets the exit code:
 * 0 done, 1 error, 2 usage.
 */
import { stripVTControlCharacters } from 'node:util'
import yargs from 'yargs'
import { UsageError } from './commands/errors.js'
import { withGlobalOptions } from './commands/global-options.js'
import { setupCommand } from './commands/setup.js'
import { generateCommand } from './commands/generate-job.js'
import { destroyCommand } from './commands/destroy-job.js'
import { diffCommand } from './commands/diff.js'
import { updateCommand } from './commands/update.js'
import { readJobsKitPackage } from './package-assets/package-files.js'
import { ScaffolderError } from './scaffolder-error.js'
import { enableCompileCache } from './startup/compile-cache.js'

const COMMANDS = [setupCommand, generateCommand, destroyCommand, diffCommand, updateCommand]

const EXIT_OK = 0
const EXIT_ERROR = 1
const EXIT_USAGE = 2

async function main(argv: string[]): Promise<number> {
  // Before any handler loads ts-morph: its 13 MB of CommonJS then load from V8's cached code.
  enableCompileCache()
  const { version } = readJobsKitPackage()
  let parser = withGlobalOptions(yargs(argv))
    .scriptName('jobs-kit')
    .usage('$0 <command> [options]\n\nBackground jobs for apps that use Prisma.')
  for (const command of COMMANDS) parser = parser.command(command as never)
  try {
    await parser
      .demandCommand(1, 'Pass a command.')
      .recommendCommands()
      .strict()
      .fail((message, error) => {
        throw error ?? new UsageError(message)
      })
      .help()
      .alias('h', 'help')
      .version(version)
      .wrap(Math.min(110, process.stdout.columns || 100))
      .parseAsync()
    return EXIT_OK
  } catch (error) {
    return report(error)
  }
}

/** Prints an error once: what was wrong, then what to do. */
function report(error: unknown): number {
  const raw = error instanceof Error ? error.message : String(error)
  // Messages quoting tools (Prisma's engine) may carry colour codes; a file or a pipe gets plain text.
  const message = process.stderr.isTTY ? raw : stripVTControlCharacters(raw)
  console.error(`error: ${message}`)
  if (error instanceof ScaffolderError) console.error(`→ ${error.advice}`)
  // A Node system error (EACCES, ENOSPC) has a code and a message that says enough; anything else is ours to fix.
  else if (!(error as { code?: unknown } | null)?.code) {
    console.error('→ This looks like a bug in jobs-kit. Run again with JOBS_KIT_DEBUG=1 and report the output.')
  }
  if (process.env.JOBS_KIT_DEBUG && error instanceof Error) console.error(error.stack)
  return error instanceof UsageError ? EXIT_USAGE : EXIT_ERROR
}

// process.argv without node and the script (what yargs' hideBin does, without loading yargs/helpers).
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
