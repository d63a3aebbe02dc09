import { JobsKitError } from '../errors.js'

/** The command line cannot be understood. The runner exits with code 2. */
export class RunnerUsageError extends JobsKitError {
  constructor(message: string) {
    super('RUNNER_USAGE', message)
  }
}

/** The jobs config could not be found, imported, or has no usable `jobs` export. */
export class RunnerConfigError extends JobsKitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('RUNNER_CONFIG', message, options)
  }
}

/** A worker process started by `start` did not come up. */
export class WorkerStartError extends JobsKitError {
  constructor(message: string) {
    super('WORKER_START_FAILED', message)
  }
}

/** The `dashboard` command could not listen on its port (taken, or not allowed). */
export class DashboardListenError extends JobsKitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DASHBOARD_LISTEN_FAILED', message, options)
  }
}
