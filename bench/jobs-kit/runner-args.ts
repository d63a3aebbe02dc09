/** How the benchmarks and the chaos run start a jobs-kit worker: the runner CLI, through tsx. */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT } from '../lib/processes.js'

const RUNNER = join(REPO_ROOT, 'src/runtime/runner/cli.ts')
const CONFIG = join(REPO_ROOT, 'bench/jobs-kit/app/lib/jobs.ts')
/** tsx's loader (its package entry), by path: `--import tsx` would resolve from the worker's cwd, a temp dir. */
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href

/** `node` arguments that run a TypeScript file through tsx from any working directory. */
export function tsxNodeArgs(file: string): string[] {
  return ['--import', TSX_LOADER, file]
}

/** The runner command line of one benchmark worker. */
export function runnerArgs(id: number, options: { concurrency: number; sleepDelaySeconds: number; maxRuntimeSeconds?: number; config?: string }): string[] {
  return [
    // BENCH_CPU_PROF=<dir>: each worker writes a V8 CPU profile there (bench/experiments/summarize-profile.ts reads them).
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ...tsxNodeArgs(RUNNER),
    '--config', options.config ?? CONFIG,
    '--id', String(id),
    '--queue', '*',
    '--concurrency', String(options.concurrency),
    '--sleepDelay', String(options.sleepDelaySeconds),
    ...(options.maxRuntimeSeconds ? ['--maxRuntime', String(options.maxRuntimeSeconds)] : []),
    '--logger', 'warn',
  ]
}

