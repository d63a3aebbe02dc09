import { describe, expect, it } from 'vitest'
import { commitTree } from '../../../tree/commit-tree.js'
import { destroyJob } from '../destroy-job.js'
import { JobNotFoundError, UneditableFileError } from '../errors.js'
import { generateJob } from '../generate-job.js'
import { APPS, commit, filesOf, makeApp, type AppName } from './apps.js'

const appNames = Object.keys(APPS) as AppName[]

describe('destroyJob', () => {
  it.each(appNames)('%s: destroy after generate (new queue, priority) restores every file byte for byte', async (app) => {
    const { vol, tree } = makeApp(APPS[app])
    const original = filesOf(vol)
    await generateJob(tree, { name: 'send-welcome-email', queue: 'email', priority: 10 })
    const generated = commit(vol, tree)
    const result = await destroyJob(generated, { name: 'SendWelcomeEmail' })
    expect(result.jobName).toBe('SendWelcomeEmailJob')
    expect(result.files).toEqual(generated.changes().map((change) => change.path))
    commitTree(generated)
    expect(filesOf(vol)).toEqual(original)
    // The job's folder goes with its files.
    const jobs = JSON.parse(original['jobs-kit.json']).paths.jobs as string
    expect(vol.existsSync(`/app/${jobs}/SendWelcomeEmailJob`)).toBe(false)
    expect(vol.existsSync(`/app/${jobs}`)).toBe(true)
  })

  it('undoes jobs generated in a row when destroyed in reverse order, next to a hand-written registry', async () => {
    const files = {
      ...APPS['ts-esm-src-alias'],
      'src/jobs/index.ts': `/* Registry, kept sorted. */
export { AuditJob } from "./AuditJob/AuditJob.js"; // the first one

// Billing
export {InvoiceJob} from "./InvoiceJob/InvoiceJob.js";
export { ZebraJob } from "./ZebraJob/ZebraJob.js";
`,
    }
    const { vol, tree } = makeApp(files)
    const original = filesOf(vol)
    await generateJob(tree, { name: 'send-email', queue: 'email' })
    let next = commit(vol, tree)
    await generateJob(next, { name: 'bounce-email', queue: 'email' })
    next = commit(vol, next)
    expect(filesOf(vol)['src/jobs/index.ts']).toBe(`/* Registry, kept sorted. */
export { AuditJob } from "./AuditJob/AuditJob.js"; // the first one
export { BounceEmailJob } from "./BounceEmailJob/BounceEmailJob.js";

// Billing
export {InvoiceJob} from "./InvoiceJob/InvoiceJob.js";
export { SendEmailJob } from "./SendEmailJob/SendEmailJob.js";
export { ZebraJob } from "./ZebraJob/ZebraJob.js";
`)
    expect(filesOf(vol)['src/lib/jobs.ts']).toContain("queues: ['default', 'email'] as const")

    await destroyJob(next, { name: 'bounce-email' })
    next = commit(vol, next)
    // SendEmailJob still uses "email", so the queue stays.
    expect(filesOf(vol)['src/lib/jobs.ts']).toContain("queues: ['default', 'email'] as const")
    await destroyJob(next, { name: 'send-email' })
    commitTree(next)
    expect(filesOf(vol)).toEqual(original)
  })

  it('keeps a queue that another job still uses, whichever order jobs are destroyed in', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'send-email', queue: 'email' })
    let next = commit(vol, tree)
    await generateJob(next, { name: 'bounce-email', queue: 'email' })
    next = commit(vol, next)
    await destroyJob(next, { name: 'send-email' }) // the job that added the queue
    expect(next.read('src/lib/jobs.ts')).toContain("queues: ['default', 'email'] as const")
  })

  it('keeps a queue the config also uses elsewhere (a worker entry added by hand)', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'send-email', queue: 'email' })
    const next = commit(vol, tree)
    const config = next.read('src/lib/jobs.ts')!.replace("queue: '*', count: 1,", "queue: 'email', count: 2,")
    next.write('src/lib/jobs.ts', config)
    const edited = commit(vol, next)
    await destroyJob(edited, { name: 'send-email' })
    expect(edited.read('src/lib/jobs.ts')).toBe(config)
  })

  it('takes the added queue from jobs-kit.json, not from the job\'s doc comment', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'send-email', queue: 'email' })
    const generated = commit(vol, tree)
    expect(JSON.parse(generated.read('jobs-kit.json')!).addedQueues).toEqual({ SendEmailJob: { queue: 'email', config: 'src/lib/jobs.ts' } })

    // The comment gone, the record kept: the queue goes.
    const job = 'src/jobs/SendEmailJob/SendEmailJob.ts'
    generated.write(job, generated.read(job)!.replace(/ \* The "email" queue was added[^\n]*\n/, ''))
    const uncommented = commit(vol, generated)
    await destroyJob(uncommented, { name: 'send-email' })
    expect(uncommented.read('src/lib/jobs.ts')).toContain("queues: ['default'] as const")
    expect(JSON.parse(uncommented.read('jobs-kit.json')!).addedQueues).toBeUndefined()

    // The record gone, the comment kept: the queue stays (g job did not add it, as far as the app's record says).
    const again = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(again.tree, { name: 'send-email', queue: 'email' })
    const next = commit(again.vol, again.tree)
    const { addedQueues: _dropped, ...unrecorded } = JSON.parse(next.read('jobs-kit.json')!)
    next.write('jobs-kit.json', `${JSON.stringify(unrecorded, null, 2)}\n`)
    const edited = commit(again.vol, next)
    await destroyJob(edited, { name: 'send-email' })
    expect(edited.read('src/lib/jobs.ts')).toContain("queues: ['default', 'email'] as const")
  })

  it('keeps a queue that was configured before the job was generated', async () => {
    const files = { ...APPS['ts-esm-src-alias'] }
    files['src/lib/jobs.ts'] = files['src/lib/jobs.ts'].replace("['default']", "['default', 'email']")
    const { vol, tree } = makeApp(files)
    const original = filesOf(vol)
    await generateJob(tree, { name: 'send-email', queue: 'email' })
    const next = commit(vol, tree)
    await destroyJob(next, { name: 'send-email' })
    commitTree(next)
    expect(filesOf(vol)).toEqual(original)
  })

  it('leaves files the user added to the job folder, and the folder with them', async () => {
    const { vol, tree } = makeApp(APPS['js-cjs-root'])
    await generateJob(tree, { name: 'cleanup' })
    const next = commit(vol, tree)
    next.write('jobs/CleanupJob/helpers.js', 'module.exports = {}\n')
    const edited = commit(vol, next)
    await destroyJob(edited, { name: 'cleanup' })
    commitTree(edited)
    expect(filesOf(vol)['jobs/CleanupJob/helpers.js']).toBe('module.exports = {}\n')
    expect(Object.keys(filesOf(vol)).filter((path) => path.startsWith('jobs/CleanupJob/'))).toEqual(['jobs/CleanupJob/helpers.js'])
    expect(filesOf(vol)['jobs/index.js']).toBe(APPS['js-cjs-root']['jobs/index.js'])
  })

  it('removes a registry line whose folder the user already deleted', async () => {
    const { vol, tree } = makeApp({
      ...APPS['ts-esm-src-alias'],
      'src/jobs/index.ts': "export { GoneJob } from './GoneJob/GoneJob.js'\n",
    })
    const result = await destroyJob(tree, { name: 'gone' })
    expect(result.files).toEqual(['src/jobs/index.ts'])
    commitTree(tree)
    expect(filesOf(vol)['src/jobs/index.ts']).toBe('')
  })

  it('leaves the tree untouched when it refuses midway (the job shares its index line)', async () => {
    const { vol, tree } = makeApp(APPS['ts-esm-src-alias'])
    await generateJob(tree, { name: 'cleanup', queue: 'email' })
    const next = commit(vol, tree)
    next.write('src/jobs/index.ts', next.read('src/jobs/index.ts')!.replace('{ CleanupJob }', '{ CleanupJob, cleanupHelper }'))
    const edited = commit(vol, next)
    await expect(destroyJob(edited, { name: 'cleanup' })).rejects.toThrow(UneditableFileError)
    expect(edited.changes()).toEqual([])
  })

  it('says so when the job does not exist, and changes nothing', async () => {
    const { tree } = makeApp(APPS['ts-esm-src-alias'])
    const error = await destroyJob(tree, { name: 'missing' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JobNotFoundError)
    expect((error as JobNotFoundError).message).toBe('there is no job MissingJob: src/jobs/MissingJob does not exist')
    expect(tree.changes()).toEqual([])
  })
})
