import { describe, expect, it } from 'vitest'
import { JobNameTakenError, UneditableFileError } from '../errors.js'
import { addJobToIndex, removeJobFromIndex } from '../jobs-index.js'

const esm = { jobName: 'SendEmailJob', specifier: './SendEmailJob/SendEmailJob.js', commonJs: false }
const cjs = { jobName: 'SendEmailJob', specifier: './SendEmailJob/SendEmailJob', commonJs: true }

describe('addJobToIndex / removeJobFromIndex', () => {
  it.each([
    ['an empty file', esm, '', "export { SendEmailJob } from './SendEmailJob/SendEmailJob.js'\n"],
    [
      'a header comment only',
      esm,
      '// Registry\n',
      "// Registry\nexport { SendEmailJob } from './SendEmailJob/SendEmailJob.js'\n",
    ],
    ['no final newline', esm, '// Registry', "// Registry\nexport { SendEmailJob } from './SendEmailJob/SendEmailJob.js'"],
    [
      '`export {}` written to make the file a module',
      esm,
      'export {}\n',
      "export {}\nexport { SendEmailJob } from './SendEmailJob/SendEmailJob.js'\n",
    ],
    [
      'sorted entries with double quotes and semicolons: in order',
      esm,
      '/** Jobs. */\nexport { AJob } from "./AJob/AJob.js";\n\nexport { TJob } from "./TJob/TJob.js";\n',
      '/** Jobs. */\nexport { AJob } from "./AJob/AJob.js";\nexport { SendEmailJob } from "./SendEmailJob/SendEmailJob.js";\n\nexport { TJob } from "./TJob/TJob.js";\n',
    ],
    [
      'sorted entries, the new one first: above them, below the header',
      esm,
      "// header\nexport { TJob } from './TJob/TJob.js'\n",
      "// header\nexport { SendEmailJob } from './SendEmailJob/SendEmailJob.js'\nexport { TJob } from './TJob/TJob.js'\n",
    ],
    [
      'unsorted entries: after the last, keeping its trailing comment and what follows',
      esm,
      "export { ZJob } from './ZJob/ZJob.js' // z\nexport { AJob } from './AJob/AJob.js' // a\n\n// end of jobs\n",
      "export { ZJob } from './ZJob/ZJob.js' // z\nexport { AJob } from './AJob/AJob.js' // a\nexport { SendEmailJob } from './SendEmailJob/SendEmailJob.js'\n\n// end of jobs\n",
    ],
    [
      'odd spacing and a multi-line entry',
      esm,
      "export {\n  AJob,\n} from './AJob/AJob.js'\n\n\nexport {ZJob}   from   './ZJob/ZJob.js'",
      "export {\n  AJob,\n} from './AJob/AJob.js'\nexport { SendEmailJob } from './SendEmailJob/SendEmailJob.js'\n\n\nexport {ZJob}   from   './ZJob/ZJob.js'",
    ],
    [
      'CommonJS, empty apart from a comment',
      cjs,
      '// Registry\n',
      "// Registry\nexports.SendEmailJob = require('./SendEmailJob/SendEmailJob').SendEmailJob\n",
    ],
    [
      'CommonJS with entries and semicolons',
      cjs,
      "'use strict';\nexports.AJob = require('./AJob/AJob').AJob;\nmodule.exports.ZJob = require('./ZJob/ZJob').ZJob;\n",
      "'use strict';\nexports.AJob = require('./AJob/AJob').AJob;\nexports.SendEmailJob = require('./SendEmailJob/SendEmailJob').SendEmailJob;\nmodule.exports.ZJob = require('./ZJob/ZJob').ZJob;\n",
    ],
  ])('%s', async (_case, job, before, after) => {
    const path = job.commonJs ? 'jobs/index.js' : 'src/jobs/index.ts'
    const added = await addJobToIndex(path, before, job)
    expect(added).toBe(after)
    // Idempotent, and exactly undone.
    expect(await addJobToIndex(path, added, job)).toBe(added)
    expect(await removeJobFromIndex(path, added, job)).toBe(before)
    expect(await removeJobFromIndex(path, before, job)).toBe(before)
  })

  it('sees a job already exported from its own module, with or without an extension, as registered', async () => {
    for (const text of [
      "export { SendEmailJob } from './SendEmailJob/SendEmailJob'\n",
      "export { Impl as SendEmailJob } from './SendEmailJob/SendEmailJob.ts'\n",
    ]) {
      expect(await addJobToIndex('index.ts', text, esm)).toBe(text)
    }
  })

  it('refuses a name the index already exports from another module', async () => {
    const text = "export { Legacy as SendEmailJob } from './legacy.js'\n"
    const error = await addJobToIndex('src/jobs/index.ts', text, esm).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JobNameTakenError)
    expect((error as JobNameTakenError).message).toBe(
      "src/jobs/index.ts already exports SendEmailJob from another module (`export { Legacy as SendEmailJob } from './legacy.js'`)",
    )
  })

  it('refuses to remove a job that shares its export line with others', async () => {
    const text = "export { SendEmailJob, SendEmailHelper } from './SendEmailJob/SendEmailJob.js'\n"
    await expect(removeJobFromIndex('index.ts', text, esm)).rejects.toThrow(UneditableFileError)
  })

  it('removes only the line it writes: an export of that name from elsewhere was written by hand', async () => {
    const esmText = "export { SendEmailJob } from './legacy/send-email.js'\nexport { SendEmailJob as Old } from './SendEmailJob/SendEmailJob.js'\n"
    expect(await removeJobFromIndex('index.ts', esmText, esm)).toBe(esmText)
    const cjsText = "exports.SendEmailJob = require('./legacy/send-email').SendEmailJob\nexports.SendEmailJob = require('./SendEmailJob/SendEmailJob').SendEmailJob\n"
    expect(await removeJobFromIndex('jobs/index.js', cjsText, cjs)).toBe("exports.SendEmailJob = require('./legacy/send-email').SendEmailJob\n")
  })

  it('refuses a CommonJS index that assigns module.exports as a whole, saying how to rewrite it', async () => {
    const error = await addJobToIndex('jobs/index.js', "module.exports = { AJob: require('./AJob/AJob').AJob }\n", cjs).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UneditableFileError)
    expect((error as UneditableFileError).advice).toContain("exports.MyJob = require('./MyJob/MyJob').MyJob")
  })
})
