import { ScaffolderError } from '../../scaffolder-error.js'

/** package.json has no `jobs` script, or one that is not a runner command jobs-kit can hand to a process manager. */
export class UnusableJobsScriptError extends ScaffolderError {
  constructor(detail: string) {
    super(
      'UNUSABLE_JOBS_SCRIPT',
      `Cannot tell from package.json how this app runs its workers: ${detail}`,
      'The `jobs` script that `jobs-kit setup` writes is `node --import tsx <runtime>/runner/cli.ts --config <config>` ' +
        '(TypeScript), `node <runtime>/runner/cli.js --config <config>` (JavaScript) or `tsx --tsconfig <tsconfig> …`. ' +
        'Put it back in that form (extra node flags such as --env-file are fine), then run this command again.',
    )
  }
}

/** The app's runner could not list its workers (the jobs config did not load, or the vendored runtime is too old). */
export class ReadWorkersError extends ScaffolderError {
  constructor(command: string, output: string, advice: string) {
    super('READ_WORKERS_FAILED', `\`${command}\` did not list the app's workers:\n${output.trim()}`, advice)
  }
}

/** A worker whose queue list is too long to name a systemd unit instance. */
export class SystemdInstanceError extends ScaffolderError {
  constructor(title: string) {
    super(
      'SYSTEMD_INSTANCE_TOO_LONG',
      `Worker ${title} serves too many queues to be named in a systemd unit instance (unit names stop at 256 characters).`,
      'Give that worker fewer queues (several workers, or queue: \'*\' for every queue) in your jobs config, or use `jobs-kit setup pm2`.',
    )
  }
}

/** Two workers of the same queues on different adapters: a systemd instance (queues and id) cannot tell them apart. */
export class SystemdAdapterError extends ScaffolderError {
  constructor(first: { title: string; adapter: string }, second: { title: string; adapter: string }) {
    super(
      'SYSTEMD_ADAPTER_AMBIGUOUS',
      `Workers ${first.title} (adapter "${first.adapter}") and ${second.title} (adapter "${second.adapter}") serve the same queues ` +
        'on different adapters; a systemd instance names only the queues and the id, so both would run on the first one\'s adapter.',
      'Give those workers different queues in your jobs config, or use `jobs-kit setup pm2`, which passes each worker its --adapter.',
    )
  }
}
