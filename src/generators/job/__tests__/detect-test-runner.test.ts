import { describe, expect, it } from 'vitest'
import { detectTestRunner } from '../detect-test-runner.js'
import { generateJob } from '../generate-job.js'
import { readJobSettings } from '../read-job-settings.js'
import { APPS, makeApp } from './apps.js'

describe('detectTestRunner', () => {
  it.each([
    ['vitest in the app', { 'package.json': '{ "devDependencies": { "vitest": "4" } }' }, 'vitest'],
    ['jest in the app', { 'package.json': '{ "devDependencies": { "jest": "29" } }' }, 'jest'],
    ['both: vitest wins', { 'package.json': '{ "devDependencies": { "jest": "29", "vitest": "4" } }' }, 'vitest'],
    ['RedwoodJS', { 'package.json': '{ "devDependencies": { "@redwoodjs/core": "8" } }' }, 'jest'],
    ['jest in the source root package', { 'package.json': '{}', 'api/package.json': '{ "dependencies": { "jest": "29" } }' }, 'jest'],
    ['nothing: Node\'s own test runner', { 'package.json': '{}' }, 'node'],
    ['no package.json', {}, 'node'],
    ['an unreadable package.json', { 'package.json': '{ nope' }, 'node'],
  ])('%s → %s', (_case, files, runner) => {
    const { tree } = makeApp({ ...files, 'jobs-kit.json': APPS.redwood['jobs-kit.json'] })
    expect(detectTestRunner(tree, readJobSettings(tree))).toBe(runner)
  })

  it('writes a Jest test for a JavaScript CommonJS app with require, and without importing vitest', async () => {
    const { tree } = makeApp({ ...APPS['js-cjs-root'], 'package.json': '{ "devDependencies": { "jest": "29" } }\n' })
    await generateJob(tree, { name: 'cleanup' })
    expect(tree.read('jobs/CleanupJob/CleanupJob.test.js')).toBe(`const { captureLogs } = require('../../lib/jobs-kit/testing/index.js')
const { jobs } = require('../../lib/jobs.js')
const { CleanupJob } = require('./CleanupJob.js')
const { scenarios } = require('./CleanupJob.scenarios.js')

describe('CleanupJob', () => {
  it('performs for the given user', async () => {
    const [userId] = scenarios.standard
    const logs = captureLogs(jobs.logger)
    try {
      await CleanupJob.perform(...scenarios.standard)
    } finally {
      logs.restore()
    }
    expect(logs.messages('info')).toContain(\`CleanupJob: performing for user \${userId}\`)
  })
})
`)
  })
})
