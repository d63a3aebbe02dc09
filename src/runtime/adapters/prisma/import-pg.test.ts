import { describe, expect, it } from 'vitest'
import { OptionalDependencyError } from '../../errors.js'
import { importPgClass } from './import-pg.js'

describe('importPgClass', () => {
  it('returns the class of the installed pg package', async () => {
    const pg = (await import('pg')).default
    expect(await importPgClass('Pool', 'install pg')).toBe(pg.Pool)
    expect(await importPgClass('Client', 'install pg')).toBe(pg.Client)
  })

  it('says to install pg 8 when the package has no such export', async () => {
    const missing = importPgClass('Cursor' as 'Pool', 'install pg')
    await expect(missing).rejects.toThrow(OptionalDependencyError)
    await expect(missing).rejects.toThrow('The installed `pg` package has no Cursor export; install pg 8 or later.')
  })
})
