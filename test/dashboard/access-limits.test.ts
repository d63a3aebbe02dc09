/**
 * The dashboard's access hardening, through the real handlers: a production
 * token strong enough not to be guessed, a limit on wrong tokens per client
 * address (Fetch handler and node:http with real sockets), and the Host /
 * Origin check against DNS rebinding for a dashboard without access control
 * (and `allowedHosts`). On a real SQLite database.
 */
import { createServer, request, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { insertJob } from '../support/jobs-table.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { createDashboard, type Dashboard, type DashboardOptions } from '../../src/runtime/dashboard/index.js'
import { LoginLimit } from '../../src/runtime/dashboard/login-limit.js'
import { DASHBOARD_LOGIN_FAILURES_PER_WINDOW } from '../../src/runtime/defaults.js'
import { InvalidConfigError } from '../../src/runtime/errors.js'

const STRONG_TOKEN = 'kq3V9xZ1-pT7wYb2Nc5Rj8Lm4Hs6Df0Ga'

/** A GET through node:http with the given headers, from a given local address (127.0.0.1 or ::1). */
function get(port: number, path: string, headers: Record<string, string>, from: '127.0.0.1' | '::1' = '127.0.0.1'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: from, port, path, headers, family: from === '::1' ? 6 : 4 }, (response) => {
      let body = ''
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }))
    })
    sent.on('error', reject)
    sent.end()
  })
}

async function listen(dashboard: Dashboard, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => void dashboard.node(req, res))
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`

describe('dashboard access hardening', () => {
  let database: TestDatabase
  let jobs: DashboardOptions['jobs']
  let secretJobId: number

  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
    jobs = { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) }, queues: ['default'] }
    secretJobId = await insertJob(database, { handler: JSON.stringify({ name: 'SecretJob', path: 'SecretJob/SecretJob', args: ['secret-arg'] }) })
  })
  afterAll(async () => {
    await database?.drop()
  })

  describe('the token in production', () => {
    it('refuses a short token, saying how long it must be and how to generate one', () => {
      const start = () => createDashboard({ jobs, env: { NODE_ENV: 'production', JOBS_DASHBOARD_TOKEN: 'hunter2' } })
      expect(start).toThrow(InvalidConfigError)
      expect(start).toThrow(/JOBS_DASHBOARD_TOKEN is 7 characters long; it needs at least 32.*openssl rand -base64 32/s)
      // The message never repeats the token itself (it goes to logs).
      expect(start).not.toThrow(/hunter2/)
    })

    it('refuses a long token made of a few characters repeated', () => {
      expect(() => createDashboard({ jobs, env: { NODE_ENV: 'production', JOBS_DASHBOARD_TOKEN: 'ab'.repeat(20) } })).toThrow(/uses only 2 different characters; it needs at least 10/)
      expect(() => createDashboard({ jobs, env: { NODE_ENV: 'production', JOBS_DASHBOARD_TOKEN: 'password'.repeat(4) } })).toThrow(InvalidConfigError)
    })

    it('accepts a random token, and any token outside production (development keeps working as it did)', () => {
      expect(() => createDashboard({ jobs, env: { NODE_ENV: 'production', JOBS_DASHBOARD_TOKEN: STRONG_TOKEN } })).not.toThrow()
      expect(() => createDashboard({ jobs, env: { JOBS_DASHBOARD_TOKEN: 'short' } })).not.toThrow()
    })
  })

  describe('wrong tokens, per client address', () => {
    it('Fetch handler: past the limit answers 429 with Retry-After, even to the right token, and other addresses are not affected', async () => {
      const dashboard = createDashboard({ jobs, env: { JOBS_DASHBOARD_TOKEN: STRONG_TOKEN }, clientAddress: (request) => request.headers.get('x-client') ?? undefined })
      const send = (client: string, token?: string) =>
        dashboard.fetch(new Request('http://localhost/', { headers: { 'x-client': client, ...(token ? { authorization: basic(token) } : {}) } }))
      // The browser's first request, without a token, is the login prompt: not counted.
      for (let i = 0; i < 20; i++) expect((await send('203.0.113.9')).status).toBe(401)
      for (let i = 0; i < DASHBOARD_LOGIN_FAILURES_PER_WINDOW; i++) expect((await send('203.0.113.9', `guess-${i}`)).status).toBe(401)
      const blocked = await send('203.0.113.9', STRONG_TOKEN)
      expect(blocked.status).toBe(429)
      const retryAfter = Number(blocked.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThan(0)
      expect(retryAfter).toBeLessThanOrEqual(300)
      expect(await blocked.text()).toMatch(/Too many wrong dashboard tokens.*try again in \d+ s/)
      expect((await send('198.51.100.7', STRONG_TOKEN)).status).toBe(200)
    })

    it('attack: a right token from the same address (an admin\'s open page, refreshing every 5 s) does not reset the count of the guesses around it', async () => {
      // Behind one NAT or proxy, or a Fetch handler without clientAddress (every client one count), the admin's page
      // and the attacker share a count: if the admin's refresh cleared it, guessing would never stop.
      const dashboard = createDashboard({ jobs, env: { JOBS_DASHBOARD_TOKEN: STRONG_TOKEN }, clientAddress: () => '192.0.2.1' })
      const send = (token: string) => dashboard.fetch(new Request('http://localhost/', { headers: { authorization: basic(token) } }))
      let checked = 0
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < DASHBOARD_LOGIN_FAILURES_PER_WINDOW - 1; i++) if ((await send(`guess-${round}-${i}`)).status === 401) checked += 1
        await send(STRONG_TOKEN) // the admin's page refreshing
      }
      expect(checked).toBe(DASHBOARD_LOGIN_FAILURES_PER_WINDOW)
    })

    it('node:http: counts by the socket\'s address (127.0.0.1 blocked, ::1 still let in)', async () => {
      const dashboard = createDashboard({ jobs, env: { JOBS_DASHBOARD_TOKEN: STRONG_TOKEN } })
      const { server, port } = await listen(dashboard, '::')
      try {
        for (let i = 0; i < DASHBOARD_LOGIN_FAILURES_PER_WINDOW; i++) expect((await get(port, '/', { authorization: basic('wrong') })).status).toBe(401)
        const blocked = await get(port, '/', { authorization: basic(STRONG_TOKEN) })
        expect(blocked.status).toBe(429)
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0)
        expect((await get(port, '/', { authorization: basic(STRONG_TOKEN), host: `localhost:${port}` }, '::1')).status).toBe(200)
      } finally {
        server.close()
      }
    })

    it('guesses sent at once do not slip past the limit (Fetch requests side by side, node:http requests pipelined on one connection)', async () => {
      const guesses = 100
      const fetchDashboard = createDashboard({ jobs, env: { JOBS_DASHBOARD_TOKEN: STRONG_TOKEN }, clientAddress: () => '192.0.2.77' })
      const answers = await Promise.all(Array.from({ length: guesses }, (_, i) => fetchDashboard.fetch(new Request('http://localhost/', { headers: { authorization: basic(`guess-${i}`) } }))))
      expect(answers.filter((answer) => answer.status === 401)).toHaveLength(DASHBOARD_LOGIN_FAILURES_PER_WINDOW)
      expect(answers.filter((answer) => answer.status === 429)).toHaveLength(guesses - DASHBOARD_LOGIN_FAILURES_PER_WINDOW)

      const { server, port } = await listen(createDashboard({ jobs, env: { JOBS_DASHBOARD_TOKEN: STRONG_TOKEN } }), '127.0.0.1')
      try {
        // One write holding every request: node:http parses them all before any handler gets past its first await.
        const pipelined = Array.from({ length: guesses }, (_, i) => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer guess-${i}\r\n\r\n`).join('')
        const statuses = await new Promise<string[]>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => socket.write(pipelined))
          let received = ''
          socket.on('data', (chunk) => {
            received += chunk
            const found = [...received.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => match[1]!)
            if (found.length === guesses) {
              socket.destroy()
              resolve(found)
            }
          })
          socket.on('error', reject)
        })
        expect(statuses.filter((status) => status === '401')).toHaveLength(DASHBOARD_LOGIN_FAILURES_PER_WINDOW)
        expect(statuses.filter((status) => status === '429')).toHaveLength(guesses - DASHBOARD_LOGIN_FAILURES_PER_WINDOW)
      } finally {
        server.close()
      }
    })

    it('keeps its memory bounded, counts an IPv6 /64 as one client, and forgets a window once it ends', () => {
      const limit = new LoginLimit(3, 1000, 100)
      for (let i = 0; i < 1000; i++) limit.recordFailure(`10.0.${Math.floor(i / 256)}.${i % 256}`, 0)
      expect(limit.size).toBeLessThanOrEqual(100)
      const v6 = new LoginLimit(3, 1000, 100)
      v6.recordFailure('2001:db8:1:2::1', 0)
      v6.recordFailure('2001:db8:1:2:aaaa::9', 0)
      v6.recordFailure('2001:0db8:0001:0002:ffff:ffff:ffff:ffff', 0)
      expect(v6.retryAfterSeconds('2001:db8:1:2::77', 10)).toBe(1)
      expect(v6.retryAfterSeconds('2001:db8:1:3::1', 10)).toBe(0)
      expect(v6.retryAfterSeconds('2001:db8:1:2::77', 1000)).toBe(0)
      const mapped = new LoginLimit(1, 1000, 100)
      mapped.recordFailure('::ffff:192.0.2.5', 0)
      expect(mapped.retryAfterSeconds('192.0.2.5', 1)).toBe(1)
    })
  })

  describe('attack: client addresses as proxies write them', () => {
    it('an address with a port (Azure App Service\'s X-Forwarded-For, Forwarded\'s for=) counts as that address, not one client per source port', () => {
      const limit = new LoginLimit(3, 1000, 100)
      // A new connection is a new source port: counted per port, every guess would be the first of its "client".
      for (const port of [52413, 52414, 52415]) limit.recordFailure(`203.0.113.1:${port}`, 0)
      expect(limit.retryAfterSeconds('203.0.113.1', 10)).toBe(1)
      expect(limit.retryAfterSeconds('203.0.113.1:60000', 10)).toBe(1)
      const v6 = new LoginLimit(3, 1000, 100)
      v6.recordFailure('[2001:db8:1:2::1]:443', 0)
      v6.recordFailure('[2001:db8:1:2::2]', 0)
      v6.recordFailure('"[2001:DB8:1:2::3]:4711"', 0)
      expect(v6.retryAfterSeconds('2001:db8:1:2::77', 10)).toBe(1)
    })
  })

  describe('DNS rebinding: a dashboard without access control answers only this machine\'s names', () => {
    it('Fetch handler: refuses a rebound host name with 403 and says what to set, answers localhost and IP addresses', async () => {
      const dashboard = createDashboard({ jobs, env: {} })
      const rebound = await dashboard.fetch(new Request(`http://evil.example/jobs/${secretJobId}`))
      expect(rebound.status).toBe(403)
      const text = await rebound.text()
      expect(text).not.toContain('secret-arg')
      expect(text).toContain("allowedHosts: ['evil.example']")
      for (const origin of ['http://localhost', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://app.localhost']) {
        expect((await dashboard.fetch(new Request(`${origin}/jobs/${secretJobId}`))).status, origin).toBe(200)
      }
    })

    it('Fetch handler: a request sent by another site\'s page (its Origin) is refused too', async () => {
      const dashboard = createDashboard({ jobs, env: {} })
      const response = await dashboard.fetch(new Request('http://127.0.0.1:3000/jobs', { headers: { origin: 'http://evil.example' } }))
      expect(response.status).toBe(403)
      expect(await response.text()).toContain('Origin')
    })

    it('node:http: refuses a Host naming another site, with the page saying what to set; allowedHosts opens that name', async () => {
      const closed = await listen(createDashboard({ jobs, env: {} }), '127.0.0.1')
      const allowing = await listen(createDashboard({ jobs, env: {}, allowedHosts: ['Jobs.MyApp.test'] }), '127.0.0.1')
      try {
        const rebound = await get(closed.port, `/jobs/${secretJobId}`, { host: `evil.example:${closed.port}` })
        expect(rebound.status).toBe(403)
        expect(rebound.body).not.toContain('secret-arg')
        expect(rebound.body).toMatch(/allowedHosts: \['evil\.example'\].*JOBS_DASHBOARD_TOKEN/s)
        expect((await get(closed.port, `/jobs/${secretJobId}`, { host: `127.0.0.1:${closed.port}` })).status).toBe(200)
        expect((await get(allowing.port, `/jobs/${secretJobId}`, { host: `jobs.myapp.test:${allowing.port}` })).status).toBe(200)
        expect((await get(allowing.port, `/jobs/${secretJobId}`, { host: `evil.example:${allowing.port}` })).status).toBe(403)
      } finally {
        closed.server.close()
        allowing.server.close()
      }
    })

    it('with authorize, any host name is left to it; with allowedHosts as well, only those names (and this machine\'s) are answered', async () => {
      const authorized = createDashboard({ jobs, env: {}, authorize: () => true })
      expect((await authorized.fetch(new Request('https://jobs.example.com/'))).status).toBe(200)
      const listed = createDashboard({ jobs, env: {}, authorize: () => true, allowedHosts: ['jobs.example.com'] })
      expect((await listed.fetch(new Request('https://jobs.example.com/'))).status).toBe(200)
      expect((await listed.fetch(new Request('https://other.example.com/'))).status).toBe(403)
    })

    it('says what is wrong with allowedHosts and clientAddress', () => {
      expect(() => createDashboard({ jobs, env: {}, allowedHosts: ['https://jobs.example.com'] })).toThrow(/allowedHosts must be a list of host names without scheme or port/)
      expect(() => createDashboard({ jobs, env: {}, allowedHosts: 'jobs.example.com' as unknown as string[] })).toThrow(InvalidConfigError)
      expect(() => createDashboard({ jobs, env: {}, clientAddress: 'x-forwarded-for' as never })).toThrow(/clientAddress must be a function/)
    })
  })
})
