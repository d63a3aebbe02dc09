import { describe, expect, it } from 'vitest'
import { ProviderDetectionError } from '../../errors.js'
import { detectProvider, normalizeProvider } from './detect-provider.js'
import type { PrismaClientLike } from './prisma-client.js'

// The shapes below are the internals real clients expose (checked on Prisma
// 7.10 and 6.19 clients; the adapter suites also detect on real 7.10 clients).
const client = (fields: Record<string, unknown>) => fields as unknown as PrismaClientLike

describe('detectProvider', () => {
  it('reads _activeProvider first', () => {
    expect(detectProvider(client({ _activeProvider: 'mysql', _engineConfig: { adapter: { provider: 'postgres' } } }))).toBe('mysql')
  })

  it('falls back to the engine config, then to the driver adapter', () => {
    expect(detectProvider(client({ _engineConfig: { activeProvider: 'sqlite' } }))).toBe('sqlite')
    expect(detectProvider(client({ _engineConfig: { adapter: { provider: 'postgres' } } }))).toBe('postgresql')
  })

  it('asks for the provider option when the client exposes none', () => {
    expect(() => detectProvider(client({}))).toThrow(ProviderDetectionError)
    expect(() => detectProvider(client({}))).toThrow("new PrismaAdapter({ db, provider: 'postgresql' })")
  })

  it('normalises driver adapter names to schema provider names', () => {
    expect(normalizeProvider('postgres')).toBe('postgresql')
    expect(normalizeProvider('MariaDB')).toBe('mysql')
    expect(normalizeProvider('sqlserver')).toBe('sqlserver')
  })
})
