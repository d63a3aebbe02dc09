/**
 * The mountable handler without a browser: the Fetch form (Next, Hono), the
 * access rules (production refuses to run open; the env token; authorize),
 * and basePath. On a real SQLite database.
 */
import { readFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https'
import { connect as connectHttp2, createServer as createHttp2Server } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { insertJob, readJob } from '../support/jobs-table.js'
import { PrismaAdapter } from '../../src/runtime/adapters/prisma/prisma-adapter.js'
import { createDashboard } from '../../src/runtime/dashboard/index.js'
import { InvalidConfigError } from '../../src/runtime/errors.js'

describe('createDashboard as a mounted handler', () => {
  let database: TestDatabase
  let jobs: { adapters: Record<string, PrismaAdapter>; queues: string[] }

  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
    jobs = { adapters: { prisma: new PrismaAdapter({ db: database.db, model: database.model }) }, queues: ['default'] }
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('refuses to run with NODE_ENV=production without authorize or a token, saying how to configure it', () => {
    expect(() => createDashboard({ jobs, env: { NODE_ENV: 'production' } })).toThrow(InvalidConfigError)
    expect(() => createDashboard({ jobs, env: { NODE_ENV: 'production' } })).toThrow(/authorize.*JOBS_DASHBOARD_TOKEN/s)
    expect(() => createDashboard({ jobs, env: { NODE_ENV: 'production' }, authorize: () => true })).not.toThrow()
  })

  it('with JOBS_DASHBOARD_TOKEN asks for it (401, Basic) and lets in the right one only', async () => {
    // Production takes only a token that cannot be guessed (32+ characters, see access-limits.test.ts).
    const secret = 'a-long-secret-Zq8Vw3Xr5Tn7Ym2Kp9Bd'
    const dashboard = createDashboard({ jobs, env: { NODE_ENV: 'production', JOBS_DASHBOARD_TOKEN: secret } })
    const open = await dashboard.fetch(new Request('http://localhost/'))
    expect(open.status).toBe(401)
    expect(open.headers.get('www-authenticate')).toMatch(/^Basic /)
    const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` })
    expect((await dashboard.fetch(new Request('http://localhost/', { headers: basic('wrong') }))).status).toBe(401)
    expect((await dashboard.fetch(new Request('http://localhost/', { headers: basic(secret) }))).status).toBe(200)
    expect((await dashboard.fetch(new Request('http://localhost/', { headers: { authorization: `Bearer ${secret}` } }))).status).toBe(200)
  })

  it('asks authorize for every request, and answers 403 when it says no', async () => {
    const seen: string[] = []
    const dashboard = createDashboard({
      jobs,
      env: {},
      authorize: (request) => {
        seen.push(request.url.pathname)
        return request.headers.get('x-admin') === 'yes'
      },
    })
    expect((await dashboard.fetch(new Request('http://localhost/jobs'))).status).toBe(403)
    expect((await dashboard.fetch(new Request('http://localhost/jobs', { headers: { 'x-admin': 'yes' } }))).status).toBe(200)
    expect(seen).toEqual(['/jobs', '/jobs'])
  })

  it('serves under basePath through the Fetch handler, and a POST with the cookie and form token works', async () => {
    const id = await insertJob(database, { failedAt: new Date(), lastError: 'Error: boom' })
    const dashboard = createDashboard({ jobs, basePath: '/admin/jobs/', env: {} })
    expect((await dashboard.fetch(new Request('http://localhost/other'))).status).toBe(404)
    const page = await dashboard.fetch(new Request(`http://localhost/admin/jobs/jobs/${id}`))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'nonce-")
    const markup = await page.text()
    const hrefs = [...markup.matchAll(/(?:href|action)="([^"]*)"/g)].map((match) => match[1]!)
    expect(hrefs.length).toBeGreaterThan(3)
    for (const href of hrefs) expect(href.startsWith('/admin/jobs')).toBe(true)

    expect(page.headers.get('set-cookie')).toMatch(/^jobs_dashboard_csrf=[\w-]+; Path=\/admin\/jobs; HttpOnly; SameSite=Strict$/)
    expect((await dashboard.fetch(new Request('https://localhost/admin/jobs'))).headers.get('set-cookie')).toMatch(/; Secure$/)
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    const token = /name="_csrf" value="([^"]+)"/.exec(markup)![1]!
    const post = (body: string, headers: Record<string, string> = {}) =>
      dashboard.fetch(new Request(`http://localhost/admin/jobs/jobs/${id}/retry`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers } }))
    expect((await post('')).status).toBe(403)
    expect((await post(`_csrf=${token}`, { origin: 'http://evil.example' })).status).toBe(403)
    expect(await readJob(database, id)).toMatchObject({ lastError: 'Error: boom' })
    expect((await readJob(database, id))!.failedAt).not.toBeNull()
    const done = await post(`_csrf=${token}`, { origin: 'http://localhost' })
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe(`/admin/jobs/jobs/${id}?done=retried&count=1`)
    expect((await readJob(database, id))!.failedAt).toBeNull()
  })

  it('attack: a basePath with characters a URL encodes (/admin/tâches, /admin/my jobs) serves its pages, and its links lead to them', async () => {
    for (const basePath of ['/admin/tâches', '/admin/my jobs']) {
      const dashboard = createDashboard({ jobs, basePath, env: {} })
      // The browser asks for the encoded path (what a link's href becomes, and what the app's router sees).
      const root = await dashboard.fetch(new Request(new URL(`${basePath}/`, 'http://localhost')))
      expect(root.status).toBe(200)
      const hrefs = [...(await root.text()).matchAll(/href="([^"]*)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'))
      expect(hrefs.length).toBeGreaterThan(3)
      for (const href of hrefs) expect((await dashboard.fetch(new Request(new URL(href, 'http://localhost')))).status).toBe(200)
    }
  })

  it('takes a form that a body parser (express.urlencoded) has already read', async () => {
    const id = await insertJob(database, { failedAt: new Date() })
    const dashboard = createDashboard({ jobs, env: {} })
    const page = await dashboard.fetch(new Request(`http://localhost/jobs/${id}`))
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const server = createServer((request, response) => {
      request.resume()
      request.on('end', () => {
        Object.assign(request, { body: { _csrf: token } })
        void dashboard.node(request, response)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const response = await fetch(`http://127.0.0.1:${port}/jobs/${id}/delete`, { method: 'POST', headers: { cookie }, body: 'ignored=1', redirect: 'manual' })
      expect(response.status).toBe(303)
      expect(await readJob(database, id)).toBeNull()
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('reads the form itself when a JSON body parser ran first and skipped it (express.json() sets req.body = {} and leaves the stream)', async () => {
    const id = await insertJob(database, { failedAt: new Date() })
    const dashboard = createDashboard({ jobs, env: {} })
    const page = await dashboard.fetch(new Request(`http://localhost/jobs/${id}`))
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    const server = createServer((request, response) => {
      // What body-parser 1.x's json() (Express 4's express.json()) does with a form: `req.body = req.body || {}`, then, the type not being JSON, next() without reading.
      Object.assign(request, { body: (request as { body?: unknown }).body ?? {} })
      void dashboard.node(request, response)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const response = await fetch(`http://127.0.0.1:${port}/jobs/${id}/delete`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${token}`,
        redirect: 'manual',
      })
      expect(response.status, await response.clone().text()).toBe(303)
      expect(await readJob(database, id)).toBeNull()
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('attack: served over HTTP/2 (node:http2, Fastify with http2: true) answers pages, and still refuses a rebound name, read from :authority', async () => {
    const dashboard = createDashboard({ jobs, env: {} })
    const server = createHttp2Server((request, response) => void dashboard.node(request as never, response as never))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const client = connectHttp2(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    const get = (path: string, authority?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const stream = client.request({ ':path': path, ...(authority ? { ':authority': authority } : {}) })
        let status = 0
        let body = ''
        stream.on('response', (headers) => (status = Number(headers[':status'])))
        stream.on('data', (chunk) => (body += chunk))
        stream.on('end', () => resolve({ status, body }))
        stream.on('error', reject)
        stream.end()
      })
    try {
      const page = await get('/jobs')
      expect(page.status, page.body).toBe(200)
      expect(page.body).toContain('<h1>Jobs')
      const rebound = await get('/jobs', 'evil.example')
      expect(rebound.status, rebound.body).toBe(403)
      expect(rebound.body).toContain('"evil.example"')
    } finally {
      client.close()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('answers a request with a malformed Host header 400 instead of rejecting (an unhandled rejection ends the app\'s process)', async () => {
    const dashboard = createDashboard({ jobs, env: {}, authorize: () => true })
    const rejections: unknown[] = []
    const server = createServer((request, response) => {
      dashboard.node(request, response).catch((error: unknown) => {
        rejections.push(error)
        response.destroy()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const status = await new Promise<number>((resolve) => {
        const sent = request({ host: '127.0.0.1', port, path: '/jobs', headers: { host: '[x' } }, (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        })
        sent.on('error', () => resolve(0))
        sent.end()
      })
      expect(rejections).toEqual([])
      expect(status).toBe(400)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('served over HTTPS by node:https, marks the CSRF cookie Secure and tells authorize the https: URL', async () => {
    const protocols: string[] = []
    const dashboard = createDashboard({ jobs, env: {}, authorize: ({ url }) => (protocols.push(url.protocol), true) })
    // A self-signed certificate for localhost, made for this test only (fixtures/).
    const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url))
    const server = createHttpsServer({ key: fixture('localhost-key.pem'), cert: fixture('localhost-cert.pem') }, (request, response) => void dashboard.node(request, response))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const setCookie = await new Promise<string>((resolve, reject) => {
        const sent = httpsRequest({ host: '127.0.0.1', port, path: '/', rejectUnauthorized: false }, (response) => {
          response.resume()
          resolve(String(response.headers['set-cookie'] ?? ''))
        })
        sent.on('error', reject)
        sent.end()
      })
      expect(setCookie).toMatch(/; Secure$/)
      expect(protocols).toEqual(['https:'])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('stops reading a POST body through the Fetch handler at the form limit (413), not after the whole body', async () => {
    const dashboard = createDashboard({ jobs, env: {} })
    let chunks = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        chunks += 1
        if (chunks > 400) controller.close()
        else controller.enqueue(new Uint8Array(64 * 1024).fill(97))
      },
    })
    const response = await dashboard.fetch(
      new Request('http://localhost/jobs/retry-failed', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, duplex: 'half' } as RequestInit),
    )
    expect(response.status).toBe(413)
    expect(chunks).toBeLessThan(5) // 400 chunks of 64 KiB were on offer: 25 MiB read into memory for a 16 KiB form
  })

  it('mounted by Express at a path other than basePath, says to pass that path as basePath (not a bare 404)', async () => {
    /** GET `path` through `dashboard.node` as Express's app.use(mount, handler) passes it: the mount path moved from req.url to req.originalUrl. */
    const getMounted = async (dashboard: ReturnType<typeof createDashboard>, mount: string, path: string) => {
      const server = createServer((request, response) => {
        const original = request.url!
        Object.assign(request, { originalUrl: original, url: original.slice(mount.length) || '/' })
        void dashboard.node(request, response)
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      try {
        const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`)
        return { status: response.status, text: await response.text() }
      } finally {
        await new Promise((resolve) => server.close(resolve))
      }
    }
    const forgotten = createDashboard({ jobs, env: {} })
    for (const path of ['/admin/jobs', '/admin/jobs/jobs?state=failed']) {
      const { status, text } = await getMounted(forgotten, '/admin/jobs', path)
      expect(status).toBe(404)
      expect(text).toContain("basePath: '/admin/jobs'")
    }
    // Routes that cut nothing (app.get('/admin/jobs/*', …)), and a basePath under the mount path, work as they are.
    const right = createDashboard({ jobs, basePath: '/admin/jobs', env: {} })
    for (const mount of ['', '/admin', '/admin/jobs']) expect((await getMounted(right, mount, '/admin/jobs/jobs')).status, `mounted at ${mount || '/'}`).toBe(200)
  })

  it('says which option is wrong', () => {
    expect(() => createDashboard({ jobs, basePath: 'admin', env: {} })).toThrow(/must be a path starting with one "\/"/)
    expect(() => createDashboard({ jobs, basePath: '//evil.example', env: {} })).toThrow(/must be a path starting with one "\/"/)
    expect(() => createDashboard({ jobs: { adapters: {} }, env: {} })).toThrow(/PrismaAdapter/)
    expect(() => createDashboard({ jobs, redact: 'password' as unknown as string[], env: {} })).toThrow(/redact must be a list of argument keys/)
  })

  it('shows a database failure only as a reference, and logs the details for the app (no SQL or server paths in the page)', async () => {
    const broken = await createTestDatabase('sqlite')
    try {
      await broken.db.$executeRawUnsafe(`DROP TABLE "${broken.table}"`)
      const logged: unknown[][] = []
      const logger = { debug() {}, info() {}, warn() {}, error: (...args: unknown[]) => void logged.push(args) }
      const dashboard = createDashboard({ jobs: { adapters: { prisma: new PrismaAdapter({ db: broken.db, model: broken.model }) }, queues: ['default'], logger } as never })
      const response = await dashboard.fetch(new Request('http://localhost/'))
      expect(response.status).toBe(500)
      const body = await response.text()
      const reference = /reference ([0-9a-f]{8})/.exec(body)?.[1]
      expect(reference, body).toBeDefined()
      expect(body).not.toMatch(/table|prisma|\/work|\/tmp|sqlite/i)
      expect(logged).toHaveLength(1)
      expect(String(logged[0]![0])).toContain(reference!)
      expect(String(logged[0]![1])).toMatch(/table/i)
    } finally {
      await broken.drop()
    }
  })
})
