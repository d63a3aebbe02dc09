import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { constants } from 'node:os'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as delay } from 'node:timers/promises'
import type { LogLevel } from '../worker/guard-logger.js'
import { WorkerStartError } from './errors.js'
import { oncePerKeypress } from './signals.js'
import { handOver, takeBack } from './startup-signals.js'
import { readPidFiles } from './pid-files.js'
import { toWorkerFlags, type WorkerSpec } from './worker-specs.js'

/** Seconds `start` waits for a new worker to write its pid file before it reports a failure. */
export const WORKER_START_TIMEOUT_SECONDS = 30

/** The runner script next to this file: `cli.ts` under tsx, `cli.js` once compiled. */
export function runnerScriptPath(): string {
  const self = fileURLToPath(import.meta.url)
  return join(self, '..', `cli${extname(self)}`)
}

/**
 * `node [execArgv] cli --config … <worker flags>`: the command that runs one
 * worker. `process.execArgv` carries tsx's loader when the runner itself runs
 * under tsx, so TypeScript configs load in the child too.
 */
export function workerCommandArgs(
  configPath: string,
  spec: WorkerSpec,
  options: { logLevel: LogLevel; workoff?: boolean },
): string[] {
  return [
    ...process.execArgv,
    runnerScriptPath(),
    '--config',
    configPath,
    ...toWorkerFlags(spec),
    '--logger',
    options.logLevel,
    ...(options.workoff ? ['--workoff'] : []),
  ]
}

/** Where a detached worker writes its output: `<appRoot>/.jobs-kit/logs/<title>.log`. */
export function logFilePath(appRoot: string, title: string): string {
  return join(appRoot, '.jobs-kit', 'logs', `${title}.log`)
}

/**
 * Starts one worker as a detached process that outlives this one (and the
 * terminal): its own process group, output appended to its log file. Resolves
 * with its pid once the worker is up (it has written its pid file); rejects
 * with the end of its log when it exits first or takes too long.
 */
export async function startDetachedWorker(options: {
  appRoot: string
  configPath: string
  spec: WorkerSpec
  logLevel: LogLevel
}): Promise<{ pid: number; logPath: string }> {
  const { appRoot, spec } = options
  const logPath = logFilePath(appRoot, spec.title)
  mkdirSync(join(logPath, '..'), { recursive: true })
  const log = openSync(logPath, 'a')
  let child: ChildProcess
  try {
    child = spawn(process.execPath, workerCommandArgs(options.configPath, spec, { logLevel: options.logLevel }), {
      cwd: appRoot,
      detached: true,
      stdio: ['ignore', log, log],
      env: process.env,
    })
  } finally {
    closeSync(log)
  }

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined
  let spawnError: Error | undefined
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    exited = { code, signal }
  }
  child.on('exit', onExit)
  child.on('error', (error) => {
    exited = { code: null, signal: null }
    spawnError = error
  })
  try {
    const deadline = Date.now() + WORKER_START_TIMEOUT_SECONDS * 1000
    while (Date.now() < deadline) {
      if (exited) {
        throw new WorkerStartError(
          `Worker ${spec.title} exited while starting (${spawnError?.message ?? describeExit(exited)}). ` +
            `Its log ${logPath} ends with:\n${tail(logPath)}`,
        )
      }
      const entry = readPidFiles(appRoot).find((candidate) => candidate.title === spec.title)
      if (entry?.pid === child.pid && child.pid !== undefined) return { pid: child.pid, logPath }
      await delay(100)
    }
    child.kill('SIGTERM')
    throw new WorkerStartError(
      `Worker ${spec.title} did not come up within ${WORKER_START_TIMEOUT_SECONDS} s and was stopped. ` +
        `Its log ${logPath} ends with:\n${tail(logPath)}`,
    )
  } finally {
    child.off('exit', onExit)
    child.unref()
  }
}

/**
 * Runs workers as child processes attached to this terminal (their output is
 * ours) and resolves with the highest exit code once all have exited.
 *
 * Each child gets its own process group, so a Ctrl-C in the terminal reaches
 * only this process, which passes every SIGINT and SIGTERM on exactly once:
 * a first Ctrl-C lets the workers finish their jobs, a second stops them at once.
 */
export async function runAttachedWorkers(options: {
  appRoot: string
  configPath: string
  specs: WorkerSpec[]
  logLevel: LogLevel
  workoff: boolean
}): Promise<number> {
  // A Ctrl-C while this process loaded the config: no worker was started, none is.
  if (handOver().interrupted) {
    takeBack()
    console.log('jobs-kit: got SIGINT while starting: no worker started')
    return 0
  }
  const children = options.specs.map((spec) =>
    spawn(process.execPath, workerCommandArgs(options.configPath, spec, options), {
      cwd: options.appRoot,
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    }),
  )
  const forward = (signal: NodeJS.Signals) => () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }
  // npm and tsx relay the terminal's SIGINT: copies within a second are the same Ctrl-C.
  const onSigint = oncePerKeypress(forward('SIGINT'))
  const onSigterm = forward('SIGTERM')
  // The terminal closed: the children, in their own process groups, would not
  // hear of it and keep running without their parent. Stop them at once.
  const onSighup = forward('SIGTERM')
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigterm)
  process.on('SIGHUP', onSighup)
  try {
    const codes = await Promise.all(
      children.map(
        (child) =>
          new Promise<number>((resolve) => {
            child.on('error', () => resolve(1))
            child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)))
          }),
      ),
    )
    return Math.max(0, ...codes)
  } finally {
    takeBack()
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigterm)
    process.off('SIGHUP', onSighup)
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0
}

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`
}

function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}
