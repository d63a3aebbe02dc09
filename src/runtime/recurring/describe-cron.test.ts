import { describe, expect, it } from 'vitest'
import { loadCronDescriber } from './describe-cron.js'

describe('loadCronDescriber', () => {
  it('says an expression in words with a 24-hour clock, and nothing for one it cannot read', async () => {
    const inWords = await loadCronDescriber()
    expect(inWords('30 2 * * *')).toBe('At 02:30')
    expect(inWords('*/2 * * * * *')).toBe('Every 2 seconds')
    expect(inWords('not a cron')).toBeUndefined()
  })
})
