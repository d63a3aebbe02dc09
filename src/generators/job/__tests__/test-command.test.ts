import { describe, expect, it } from 'vitest'
import { generateJob } from '../generate-job.js'
import { APPS, makeApp } from './apps.js'

const TS_TEST = 'src/jobs/SendWelcomeEmailJob/SendWelcomeEmailJob.test.ts'

describe("g job's next steps: the command that runs the generated test with what the app has", () => {
  it.each([
    ['Vitest, npm', { 'package.json': '{ "devDependencies": { "vitest": "4", "tsx": "4" } }' }, `npx vitest run ${TS_TEST}`],
    ['Vitest, pnpm', { 'package.json': '{ "devDependencies": { "vitest": "4" } }', 'pnpm-lock.yaml': '' }, `pnpm exec vitest run ${TS_TEST}`],
    ['Jest, yarn', { 'package.json': '{ "devDependencies": { "jest": "29", "tsx": "4" } }', 'yarn.lock': '' }, `yarn jest ${TS_TEST}`],
    ['no runner, tsx (setup adds it)', { 'package.json': '{ "devDependencies": { "tsx": "4" } }' }, `node --import tsx --test ${TS_TEST}`],
  ])('%s', async (_case, files, command) => {
    const { tree } = makeApp({ ...APPS['ts-esm-src-alias'], ...files })
    const result = await generateJob(tree, { name: 'send-welcome-email' })
    expect(result.testCommand).toBe(command)
    expect(result.nextSteps).toEqual([`${command}   # run the job's test`])
  })

  it('installs tsx first when a TypeScript app without a test runner lacks it', async () => {
    const { tree } = makeApp({ ...APPS['ts-esm-src-alias'], 'package.json': '{ "devDependencies": {} }', 'pnpm-lock.yaml': '' })
    const result = await generateJob(tree, { name: 'send-welcome-email' })
    expect(result.nextSteps).toEqual([
      'pnpm add -D tsx   # the test runs TypeScript through tsx',
      `node --import tsx --test ${TS_TEST}   # run the job's test`,
    ])
  })

  it('runs a JavaScript test without an alias on plain node', async () => {
    const { tree } = makeApp({ ...APPS['js-cjs-root'], 'package.json': '{}' })
    expect((await generateJob(tree, { name: 'cleanup' })).testCommand).toBe('node --test jobs/CleanupJob/CleanupJob.test.js')
  })

  it('runs a RedwoodJS job test through rw test', async () => {
    const { tree } = makeApp({ ...APPS.redwood, 'yarn.lock': '' })
    expect((await generateJob(tree, { name: 'cleanup' })).testCommand).toBe('yarn rw test CleanupJob --no-watch')
  })
})
