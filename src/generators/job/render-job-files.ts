import { renderTemplate } from '../../package-assets/render-template.js'
import type { TestRunner } from './detect-test-runner.js'
import type { JobFiles } from './job-files.js'

/** What the job templates are rendered with. */
export interface JobTemplateData {
  queue: string
  priority?: number
  moduleType: 'esm' | 'cjs'
  /** The config file `g job` added the queue to for this job (its doc comment says so), or null. */
  queueAddedTo: string | null
  /** Vitest tests import `describe`/`it`/`expect`; Jest provides them as globals; Node's runner is `node:test` with `node:assert`. */
  testRunner: TestRunner
  /** A class-style job (`extends RedwoodJob`) instead of `jobs.createJob`. */
  classStyle?: boolean
  /** The schedule of a recurring job (`g job --cron`): its `perform` takes no arguments. */
  cron?: { cron: string; timezone?: string }
}

/** Renders the job, its test and its scenarios: path → content. */
export function renderJobFiles(files: JobFiles, data: JobTemplateData): Map<string, string> {
  const context = {
    jobName: files.jobName,
    imports: files.imports,
    queue: data.queue,
    hasPriority: data.priority !== undefined,
    priority: data.priority ?? null,
    esm: data.moduleType === 'esm',
    vitest: data.testRunner === 'vitest',
    nodeTest: data.testRunner === 'node',
    // Vitest runs test files as ES modules whatever the app's module type; Jest and Node run CommonJS as CommonJS.
    esmTest: data.moduleType === 'esm' || data.testRunner === 'vitest',
    queueAddedTo: data.queueAddedTo ?? '',
    cron: data.cron?.cron ?? '',
    timezone: data.cron?.timezone ?? '',
    // What runs the job inline in its test: createJob's `perform`, RedwoodJob's `performNow`.
    runInline: data.classStyle ? 'performNow' : 'perform',
  }
  const ext = files.language
  return new Map([
    [files.job, renderTemplate(`job/${data.classStyle ? 'job-class' : 'job'}.${ext}.hbs`, context)],
    [files.test, renderTemplate(`job/job.test.${ext}.hbs`, context)],
    [files.scenarios, renderTemplate(`job/job.scenarios.${ext}.hbs`, context)],
  ])
}
