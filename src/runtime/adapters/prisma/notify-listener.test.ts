import { describe, expect, it } from 'vitest'
import { NotifyListener, pooledUrlReason } from './notify-listener.js'

describe('NotifyListener and pooled URLs', () => {
  it('recognises connection strings whose LISTEN would never hear a notification', () => {
    expect(pooledUrlReason('postgresql://a@db.example.com:6432/app?pgbouncer=true')).toMatch(/PgBouncer/)
    expect(pooledUrlReason('postgres://a@aws-0-eu-central-1.pooler.supabase.com:6543/postgres')).toMatch(/6543/)
    expect(pooledUrlReason('postgresql://a@ep-name-123-pooler.us-east-2.aws.neon.tech/db')).toMatch(/pooled host/)
    expect(pooledUrlReason('postgresql://postgres@127.0.0.1:5432/test')).toBeNull()
    expect(pooledUrlReason('host=/var/run/postgresql dbname=app')).toBeNull()
  })

  it('warns, before connecting, that a pooled URL cannot LISTEN', async () => {
    const warnings: string[] = []
    const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} }
    // Nothing listens on 127.0.0.1:6543 here: the connection fails, after the warning.
    const listener = new NotifyListener('postgresql://postgres@127.0.0.1:6543/test', () => {}, logger)
    await expect(listener.start()).rejects.toThrow()
    await listener.stop()
    expect(warnings).toEqual([expect.stringMatching(/port 6543.*notifications never arrive.*direct \(unpooled\) URL/)])
  })
})
