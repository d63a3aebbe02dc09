import { describe, expect, it } from 'vitest'
import { addQueue, readQueues, removeQueue } from '../config-queues.js'
import { UneditableFileError } from '../errors.js'

const wrap = (queues: string, tail = '') => `import { JobManager } from './jobs-kit/index.js'

/** Our jobs. */
export const jobs = new JobManager({
  adapters: {}, // set up below
  queues: ${queues},
  workers: [],${tail}
  jobs: () => import('../jobs/index.js'),
})
`

describe('addQueue / removeQueue', () => {
  it.each([
    ['`as const`', "['default'] as const", "['default', 'email'] as const"],
    ['plain JS array', "['default']", "['default', 'email']"],
    ['double quotes', '["default", "low"]', '["default", "low", "email"]'],
    ['`satisfies`', "['default'] satisfies string[]", "['default', 'email'] satisfies string[]"],
    ['an empty array', '[] as const', "['email'] as const"],
    ['a single-line trailing comma', "['default',]", "['default', 'email',]"],
    ['one queue per line, trailing comma', "[\n    'default',\n    'low',\n  ] as const", "[\n    'default',\n    'low',\n    'email',\n  ] as const"],
    ['one queue per line, no trailing comma', "[\n    'default'\n  ]", "[\n    'default',\n    'email'\n  ]"],
  ])('%s', async (_case, before, after) => {
    const text = wrap(before)
    const added = await addQueue('src/lib/jobs.ts', text, 'email')
    expect(added).toBe(wrap(after))
    expect(await readQueues('src/lib/jobs.ts', added)).toContain('email')
    expect(await addQueue('src/lib/jobs.ts', added, 'email')).toBe(added)
    expect(await removeQueue('src/lib/jobs.ts', added, 'email')).toBe(text)
    expect(await removeQueue('src/lib/jobs.ts', text, 'email')).toBe(text)
  })

  it('finds `new JobManager` under a namespace import and in CommonJS', async () => {
    const text = "const kit = require('./jobs-kit')\nconst jobs = new kit.JobManager({ queues: ['default'] })\nmodule.exports = { jobs }\n"
    expect(await addQueue('lib/jobs.js', text, 'email')).toBe(text.replace("['default']", "['default', 'email']"))
  })

  it('reads the configured queues, or null when they are not string literals', async () => {
    expect(await readQueues('a.ts', wrap("['default', \"low\"] as const"))).toEqual(['default', 'low'])
    expect(await readQueues('a.ts', wrap('[...QUEUES]'))).toBeNull()
    expect(await readQueues('a.ts', wrap('QUEUES'))).toBeNull()
    expect(await readQueues('a.ts', 'export const jobs = {}\n')).toBeNull()
  })

  it.each([
    ['an identifier', 'QUEUES'],
    ['a spread', "[...BASE, 'default']"],
  ])('refuses to add to %s, telling the user to add the queue by hand', async (_case, queues) => {
    const error = await addQueue('src/lib/jobs.ts', wrap(queues), 'email').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UneditableFileError)
    expect((error as UneditableFileError).message).toContain('cannot edit src/lib/jobs.ts')
  })
})
