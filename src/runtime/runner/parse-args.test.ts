import { describe, expect, it } from 'vitest'
import { RunnerUsageError } from './errors.js'
import { parseArgs } from './parse-args.js'

function usageError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseArgs(argv, env)
  } catch (error) {
    expect(error).toBeInstanceOf(RunnerUsageError)
    return (error as Error).message
  }
  throw new Error(`parseArgs(${JSON.stringify(argv)}) did not throw`)
}

describe('parseArgs', () => {
  it('reads a command with --config and -n', () => {
    const args = parseArgs(['--config', 'src/lib/jobs.ts', 'start', '-n', 'default:2,email:4'], {})
    expect(args.command).toBe('start')
    expect(args.configPath).toBe('src/lib/jobs.ts')
    expect(args.workerSet).toEqual([{ queue: 'default', count: 2 }, { queue: 'email', count: 4 }])
  })

  it.each(['work', 'workoff', 'start', 'stop', 'restart', 'clear', 'status', 'dashboard'])('accepts the command %s', (command) => {
    expect(parseArgs([command, '--config', 'jobs.ts'], {}).command).toBe(command)
  })

  it('takes the config path from JOBS_KIT_CONFIG when --config is absent, and prefers --config', () => {
    expect(parseArgs(['work'], { JOBS_KIT_CONFIG: 'lib/jobs.ts' }).configPath).toBe('lib/jobs.ts')
    expect(parseArgs(['work', '--config', 'a.ts'], { JOBS_KIT_CONFIG: 'b.ts' }).configPath).toBe('a.ts')
    expect(parseArgs(['work'], {}).configPath).toBeUndefined()
  })

  it('runs one worker by hand when worker flags come without a command', () => {
    const args = parseArgs(
      [
        '--id', '3', '--queue', 'default,email', '--workoff', '--adapter', 'prisma', '--maxAttempts', '5',
        '--maxRuntime', '2.5', '--sleepDelay', '0', '--deleteFailedJobs', '--no-deleteSuccessfulJobs',
        '--concurrency', '4', '--logger', 'warn',
      ],
      {},
    )
    expect(args.command).toBe('worker')
    expect(args.worker).toEqual({
      id: 3,
      queue: ['default', 'email'],
      workoff: true,
      clear: false,
      adapter: 'prisma',
      maxAttempts: 5,
      maxRuntime: 2.5,
      sleepDelay: 0,
      deleteFailedJobs: true,
      deleteSuccessfulJobs: false,
      concurrency: 4,
      logLevel: 'warn',
    })
  })

  it('reads --queue * as every queue and --no-deleteFailedJobs as false', () => {
    const args = parseArgs(['--queue', '*', '--clear', '--no-deleteFailedJobs'], {})
    expect(args.command).toBe('worker')
    expect(args.worker.queue).toBe('*')
    expect(args.worker.clear).toBe(true)
    expect(args.worker.deleteFailedJobs).toBe(false)
  })

  it('leaves unset worker flags undefined so the config decides', () => {
    const { worker } = parseArgs(['--id', '0'], {})
    expect(worker.maxAttempts).toBeUndefined()
    expect(worker.deleteFailedJobs).toBeUndefined()
    expect(worker.queue).toBeUndefined()
  })

  it('reads stop --timeout in seconds', () => {
    expect(parseArgs(['stop', '--timeout', '5'], {}).stopTimeoutSeconds).toBe(5)
  })

  it('returns help for -h', () => {
    expect(parseArgs(['-h'], {}).command).toBe('help')
  })

  it.each([
    [[], 'No command given.'],
    [['launch'], 'Unknown command "launch". Use one of: work, workoff, start, stop, restart, clear, status, dashboard, schedules, workers.'],
    [['work', 'start'], 'Expected one command, got "work" "start".'],
    [['work', '--bogus'], "Unknown option '--bogus'"],
    [['work', '-n', 'email'], 'Invalid -n "email"'],
    [['--id=-1'], '--id "-1" must be a whole number at least 0.'],
    [['--id', 'x'], '--id "x" must be a whole number at least 0.'],
    [['--id', '0', '--maxAttempts', '0'], '--maxAttempts "0" must be a whole number at least 1.'],
    [['--id', '0', '--maxRuntime', '0'], '--maxRuntime "0" must be a number greater than 0 and at most 2147483'],
    [['--id', '0', '--sleepDelay', 'soon'], '--sleepDelay "soon" must be a number at least 0 and at most 2147483'],
    // Past 2³¹−1 ms, setTimeout fires after 1 ms: every job would time out at once.
    [['--id', '0', '--maxRuntime', '2147484'], '--maxRuntime "2147484" must be a number greater than 0 and at most 2147483 (about 24.8 days'],
    [['--id', '0', '--sleepDelay', '3000000'], '--sleepDelay "3000000" must be a number at least 0 and at most 2147483'],
    [['stop', '--timeout', '9999999'], '--timeout "9999999" must be a number at least 0 and at most 2147483'],
    [['--id', '0', '--concurrency', '1.5'], '--concurrency "1.5" must be a whole number at least 1.'],
    // One worker by hand may name an exported logger (checked once the config is loaded); commands take a level.
    [['work', '--logger', 'verbose'], '--logger "verbose" names an export of the jobs config, which only one worker run by hand uses'],
    [['--id', '0', '--logger', 'not-a-name'], '--logger "not-a-name" is not a log level (debug, info, warn, error) nor the name of an export'],
    [['--queue', 'a,,b'], '--queue "a,,b" has an empty queue name.'],
    [['--queue', '*,email'], '"*" already means every queue; use it alone.'],
    [['--workoff', '--clear'], '--workoff and --clear cannot be used together'],
  ])('rejects %j with a message that says what is wrong', (argv, message) => {
    expect(usageError(argv as string[])).toContain(message)
  })

  it.each(['pause', 'resume', 'run'] as const)('reads schedules %s <name>', (action) => {
    expect(parseArgs(['schedules', action, 'NightlyReportJob'], {})).toMatchObject({ command: 'schedules', schedule: { action, name: 'NightlyReportJob' } })
  })

  it.each([[['schedules']], [['schedules', 'stop', 'x']], [['schedules', 'pause']], [['schedules', 'run', 'a', 'b']]])(
    'rejects %j with the schedules usage',
    (argv) => {
      expect(usageError(argv)).toContain('Usage: schedules pause|resume|run <name>')
    },
  )

  it('shows the usage with an unknown command', () => {
    expect(usageError(['launch'])).toContain('Usage: npm run jobs -- <command> [options]')
  })

  it('reads dashboard --port and --host, and refuses them for other commands', () => {
    expect(parseArgs(['dashboard', '--config', 'jobs.ts'], {}).dashboard).toEqual({ port: undefined, host: undefined })
    expect(parseArgs(['dashboard', '--port', '9000', '--host', '0.0.0.0'], {}).dashboard).toEqual({ port: 9000, host: '0.0.0.0' })
    expect(usageError(['dashboard', '--port', '70000'])).toContain('--port "70000" must be a whole number from 0 to 65535')
    expect(usageError(['status', '--port', '9000'])).toContain('--port and --host are for `dashboard` only')
  })
})
