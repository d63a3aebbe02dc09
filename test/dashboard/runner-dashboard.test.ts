/**
 * `npm run jobs -- dashboard` as a real process: it serves the overview at
 * `/` on 127.0.0.1, stops on SIGINT with exit code 0, and refuses to start
 * with NODE_ENV=production and no token. On SQLite (the command does not
 * depend on the database; the browser tests cover both).
 */
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { createProcessTestApp, waitUntil, type ProcessTestApp } from '../runtime-processes/support.js'

let app: ProcessTestApp | undefined
afterEach(async () => {
  await app?.cleanup()
  app = undefined
})

describe('runner: dashboard command', () => {
  it('serves the dashboard on 127.0.0.1 at / and stops on SIGINT', async () => {
    app = await createProcessTestApp('sqlite')
    await app.insertJobs([{ name: 'RecordJob', args: ['dashboard-<b>'], queue: 'default' }])
    const runner = app.runner(['dashboard', '--port', '0'])
    let origin = ''
    await waitUntil('the dashboard to listen', () => {
      origin = /Jobs dashboard on (http:\/\/127\.0\.0\.1:\d+)\//.exec(runner.output())?.[1] ?? ''
      return origin !== ''
    }, 30_000)
    const overview = await fetch(`${origin}/`)
    expect(overview.status).toBe(200)
    expect(await overview.text()).toContain('<h1>Overview</h1>')
    const list = await (await fetch(`${origin}/jobs`)).text()
    expect(list).toContain('RecordJob')
    expect(list).toContain('dashboard-&lt;b&gt;')
    runner.child.kill('SIGINT')
    expect(await runner.exited()).toBe(0)
  })

  it('open (no token), answers only requests addressed to this machine: a DNS-rebound name gets 403', async () => {
    app = await createProcessTestApp('sqlite')
    await app.insertJobs([{ name: 'RecordJob', args: ['secret-arg'], queue: 'default' }])
    const runner = app.runner(['dashboard', '--port', '0'], { env: { JOBS_DASHBOARD_TOKEN: '' } })
    let port = 0
    await waitUntil('the dashboard to listen', () => {
      port = Number(/Jobs dashboard on http:\/\/127\.0\.0\.1:(\d+)\//.exec(runner.output())?.[1] ?? 0)
      return port !== 0
    }, 30_000)
    // A page of evil.example whose name then resolves to 127.0.0.1 (DNS rebinding) is same-origin with
    // the dashboard for the browser: it could read every job and post the forms with their CSRF token.
    const get = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const sent = request({ host: '127.0.0.1', port, path: '/jobs', headers: { host } }, (response) => {
          let body = ''
          response.on('data', (chunk) => (body += chunk))
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
        })
        sent.on('error', reject)
        sent.end()
      })
    const rebound = await get(`evil.example:${port}`)
    expect(rebound.status).toBe(403)
    expect(rebound.body).not.toContain('secret-arg')
    expect(rebound.body).toContain('JOBS_DASHBOARD_TOKEN')
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) expect((await get(host)).status, host).toBe(200)
    runner.child.kill('SIGINT')
    expect(await runner.exited()).toBe(0)
  })

  it('warns when it listens beyond this machine (--host 0.0.0.0) with no token: anyone on the network could delete jobs', async () => {
    app = await createProcessTestApp('sqlite')
    const runner = app.runner(['dashboard', '--port', '0', '--host', '0.0.0.0'], { env: { JOBS_DASHBOARD_TOKEN: '' } })
    await waitUntil('the dashboard to listen', () => runner.output().includes('Jobs dashboard on'), 30_000)
    expect(runner.output()).toMatch(/every address of this machine.*JOBS_DASHBOARD_TOKEN/s)
    runner.child.kill('SIGINT')
    expect(await runner.exited()).toBe(0)
  })

  it('without escape-html installed, refuses to start and says to install it (instead of listening and failing every page)', async () => {
    app = await createProcessTestApp('sqlite')
    const hide = fileURLToPath(new URL('./without-escape-html.mjs', import.meta.url))
    const runner = app.runner(['dashboard', '--port', '0'], { env: { NODE_OPTIONS: `--import ${hide}` } })
    expect(await runner.exited(20_000)).toBe(1)
    expect(runner.output()).toContain('npm install escape-html')
    expect(runner.output()).not.toContain('Jobs dashboard on')
  })

  it('says the port is taken and how to choose another, instead of an unexpected error with a stack', async () => {
    app = await createProcessTestApp('sqlite')
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = taken.address() as AddressInfo
      const runner = app.runner(['dashboard', '--port', String(port)])
      expect(await runner.exited()).toBe(1)
      expect(runner.output()).toContain(`127.0.0.1:${port} is already in use`)
      expect(runner.output()).toContain('--port')
      expect(runner.output()).not.toContain('unexpected error')
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
  })

  it('refuses to start with NODE_ENV=production and a guessable JOBS_DASHBOARD_TOKEN, saying how to generate one', async () => {
    app = await createProcessTestApp('sqlite')
    const runner = app.runner(['dashboard', '--port', '0'], { env: { NODE_ENV: 'production', JOBS_DASHBOARD_TOKEN: 'letmein' } })
    expect(await runner.exited()).toBe(1)
    expect(runner.output()).toMatch(/JOBS_DASHBOARD_TOKEN is 7 characters long; it needs at least 32.*openssl rand/s)
    expect(runner.output()).not.toContain('letmein')
    expect(runner.output()).not.toContain('Jobs dashboard on')
  })

  it('with a token, answers 429 with Retry-After after too many wrong ones from an address, even to the right one', async () => {
    app = await createProcessTestApp('sqlite')
    const token = 'Zq8Vw3Xr5Tn7Ym2Kp9Bd-a-long-secret'
    const runner = app.runner(['dashboard', '--port', '0'], { env: { NODE_ENV: 'production', JOBS_DASHBOARD_TOKEN: token } })
    let origin = ''
    await waitUntil('the dashboard to listen', () => {
      origin = /Jobs dashboard on (http:\/\/127\.0\.0\.1:\d+)\//.exec(runner.output())?.[1] ?? ''
      return origin !== ''
    }, 30_000)
    const login = (password: string) => fetch(`${origin}/`, { headers: { authorization: `Basic ${Buffer.from(`me:${password}`).toString('base64')}` } })
    expect((await login(token)).status).toBe(200)
    for (let i = 0; i < 10; i++) expect((await login(`guess-${i}`)).status).toBe(401)
    const blocked = await login(token)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    runner.child.kill('SIGINT')
    expect(await runner.exited()).toBe(0)
  })

  it('refuses to start with NODE_ENV=production and no JOBS_DASHBOARD_TOKEN, saying how to set one', async () => {
    app = await createProcessTestApp('sqlite')
    const runner = app.runner(['dashboard', '--port', '0'], { env: { NODE_ENV: 'production', JOBS_DASHBOARD_TOKEN: '' } })
    expect(await runner.exited()).toBe(1)
    expect(runner.output()).toContain('JOBS_DASHBOARD_TOKEN')
    expect(runner.output()).not.toContain('Jobs dashboard on')
  })
})
