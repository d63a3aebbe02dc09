import { describe, expect, it } from 'vitest'
import { isDeadlock, retryOnDeadlock } from './retry-on-deadlock-mysql.js'

// The shapes the two paths throw, as seen from a real MariaDB 10.11 deadlock (mariadb driver 3.5, Prisma 7 P2010).
const driverDeadlock = () => Object.assign(new Error('(conn:12, no: 1213, SQLState: 40001) Deadlock found when trying to get lock; try restarting transaction'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' })
const prismaDeadlock = () =>
  Object.assign(new Error('\nInvalid `prisma.$executeRawUnsafe()` invocation:\n\n\nRaw query failed. Code: `1213`. Message: `Deadlock found when trying to get lock; try restarting transaction`'), { code: 'P2010' })
const lockWaitTimeout = () => Object.assign(new Error('Lock wait timeout exceeded; try restarting transaction'), { errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT' })

describe('retryOnDeadlock', () => {
  it('recognises a deadlock from the mariadb driver and through Prisma, and nothing else', () => {
    expect(isDeadlock(driverDeadlock())).toBe(true)
    expect(isDeadlock(prismaDeadlock())).toBe(true)
    expect(isDeadlock(lockWaitTimeout())).toBe(false)
    expect(isDeadlock(new Error('connection closed'))).toBe(false)
    expect(isDeadlock(undefined)).toBe(false)
  })

  it('runs a claim chosen as deadlock victim again, up to three times in all', async () => {
    let calls = 0
    expect(await retryOnDeadlock(async () => (++calls < 3 ? Promise.reject(calls === 1 ? driverDeadlock() : prismaDeadlock()) : 'claimed'))).toBe('claimed')
    expect(calls).toBe(3)
    calls = 0
    await expect(retryOnDeadlock(async () => { calls++; throw driverDeadlock() })).rejects.toThrow('Deadlock')
    expect(calls).toBe(3)
  })

  it('leaves every other error, a lock wait timeout included, to the caller at once', async () => {
    let calls = 0
    await expect(retryOnDeadlock(async () => { calls++; throw lockWaitTimeout() })).rejects.toThrow('Lock wait timeout')
    expect(calls).toBe(1)
  })
})
