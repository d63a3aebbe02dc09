/**
 * Runs a command in an app copy and keeps everything it printed, so a failing
 * end-to-end step shows the CLI's own output in the test report.
 */
import { spawn } from 'node:child_process'

export interface RunOptions {
  cwd: string
  env?: NodeJS.ProcessEnv
  /** Kill the command after this many milliseconds. Default 120 000. */
  timeoutMs?: number
}

export interface RunResult {
  stdout: string
  stderr: string
  /** stdout and stderr interleaved in the order they arrived. */
  output: string
}

/** A command exited non-zero, was killed or timed out. The message carries its output. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly cwd: string,
    readonly exit: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(
      [
        `\`${command}\` ${exit} (in ${cwd})`,
        '--- stdout ---',
        stdout.trimEnd() || '(empty)',
        '--- stderr ---',
        stderr.trimEnd() || '(empty)',
      ].join('\n'),
    )
    this.name = 'CommandFailedError'
  }
}

/** Runs `command args…` and resolves with its output, or rejects with a `CommandFailedError`. */
export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 120_000
  const shown = [command, ...args].map((part) => (/[\s"']/.test(part) ? JSON.stringify(part) : part)).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout kills what it started too (npm → tsx → node):
      // a surviving grandchild would hold the pipes open and this promise would never settle.
      detached: true,
    })
    let stdout = ''
    let stderr = ''
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      output += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      output += chunk
    })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new CommandFailedError(shown, options.cwd, `could not start: ${error.message}`, stdout, stderr))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) return resolve({ stdout, stderr, output })
      const exit = timedOut
        ? `timed out after ${timeoutMs} ms`
        : signal
          ? `was killed by ${signal}`
          : `exited with code ${code}`
      reject(new CommandFailedError(shown, options.cwd, exit, stdout, stderr))
    })
  })
}
