/**
 * jobs-kit's generators for teams that use plop. In your plopfile:
 *
 * ```js
 * export default async function (plop) {
 *   await plop.load('jobs-kit/dist/plop/plopfile.js')   // adds `job`, `destroy-job`, `jobs-kit-setup`
 * }
 * ```
 *
 * or, from an ES module plopfile, `import jobsKit from 'jobs-kit/plopfile'`
 * and call `jobsKit(plop)`. Then `npx plop job SendWelcomeEmail email`.
 *
 * The generators run the same code as `jobs-kit g job` / `d job`: the change
 * is planned on a staged tree rooted at plop's destination folder and written
 * all or nothing; conflicts stop it unless plop runs with `--force`. (node-plop
 * does not pass `--force` on to generators added with `plop.load`: use the
 * import form, or `plop.load(…, { force: true })`.)
 */
import type { NodePlopAPI } from 'node-plop'
import { runJobAction, validateJobName, validatePriority } from './job-actions.js'
import { runSetupAction } from './setup-action.js'

/** plop's second plopfile argument: the config `nodePlop(path, config)` or `plop.load(…, config)` passes on. */
interface PlopConfig {
  force?: boolean
  destBasePath?: string
}

/** Registers `job`, `destroy-job` and `jobs-kit-setup` on `plop`. */
export default function jobsKitPlopfile(plop: NodePlopAPI, config: PlopConfig = {}): void {
  plop.setGenerator('job', {
    description: 'jobs-kit: a background job, its test and its scenarios, registered in the jobs index',
    prompts: [
      { type: 'input', name: 'name', message: 'Job name (e.g. SendWelcomeEmail)', validate: validateJobName },
      { type: 'input', name: 'queue', message: 'Queue (leave empty for the default queue)' },
      { type: 'input', name: 'priority', message: 'Priority, lower runs first (leave empty for the default, 50)', validate: validatePriority },
      { type: 'confirm', name: 'classStyle', message: 'Class-style job (class XJob extends RedwoodJob)?', default: false },
      { type: 'input', name: 'cron', message: 'Cron schedule for a recurring job, e.g. 0 3 * * * (leave empty for none)' },
      {
        type: 'input',
        name: 'timezone',
        message: 'Time zone of the schedule, e.g. Europe/Berlin (leave empty for UTC)',
        when: (answers: Record<string, unknown>) => typeof answers.cron === 'string' && answers.cron.trim() !== '',
      },
    ],
    actions: [
      // plop passes its --force flag in the action's config.
      (answers, actionConfig) =>
        runJobAction('generate', plop.getDestBasePath(), answers ?? {}, {
          force: config.force === true || actionConfig?.force === true,
        }),
    ],
  })
  plop.setGenerator('destroy-job', {
    description: 'jobs-kit: remove a job made by the job generator (files, index line, the queue it added)',
    prompts: [{ type: 'input', name: 'name', message: 'Job name', validate: validateJobName }],
    actions: [(answers) => runJobAction('destroy', plop.getDestBasePath(), answers ?? {}, { force: false })],
  })
  plop.setGenerator('jobs-kit-setup', {
    description: 'jobs-kit: set up background jobs in this app (schema model, config, vendored runtime, jobs script)',
    prompts: [
      {
        type: 'input',
        name: 'db',
        message: 'Module that exports your Prisma client, e.g. src/lib/db.ts#prisma (leave empty to detect it)',
      },
    ],
    actions: [
      (answers, actionConfig) =>
        runSetupAction(plop.getDestBasePath(), answers ?? {}, { force: config.force === true || actionConfig?.force === true }),
    ],
  })
}
