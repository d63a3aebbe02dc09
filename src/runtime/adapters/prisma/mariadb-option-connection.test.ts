/**
 * The `mariadb` option's connection strings as users write them: a password
 * with special characters (URL-encoded), Prisma's own parameters
 * (`connection_limit`, `pool_timeout`), `socket`, a wrong password, a
 * malformed escape. The worker must connect, or say why it cannot.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import net from 'node:net'
import mariadb, { type Connection as MariadbConnection } from 'mariadb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js'
import { InvalidConfigError } from '../../errors.js'
import { mariadbConnectionConfig } from './mariadb-pool.js'
import { PrismaAdapter } from './prisma-adapter.js'

const PASSWORD = `p@ss:w/rd#?%&+ é'"\\`
const SOCKET = '/run/mysqld/mysqld.sock'

describe('mariadb option connection strings', () => {
  let database: TestDatabase
  let admin: MariadbConnection
  const user = `jk_${randomBytes(4).toString('hex')}`

  beforeAll(async () => {
    database = await createTestDatabase('mysql')
    const server = new URL(database.url)
    admin = await mariadb.createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) })
    await admin.query(`CREATE USER ${user}@'%' IDENTIFIED BY ?`, [PASSWORD])
    await admin.query(`GRANT ALL ON \`${server.pathname.slice(1)}\`.* TO ${user}@'%'`)
  })
  afterAll(async () => {
    await admin?.query(`DROP USER IF EXISTS ${user}@'%'`)
    await admin?.end()
    await database?.drop()
  })

  const urlWith = (password: string, rest = '') => {
    const server = new URL(database.url)
    return `mysql://${user}:${password}@${server.hostname}:${server.port || 3306}${server.pathname}${rest}`
  }

  async function findWith(connectionString: string) {
    const adapter = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { connectionString } })
    try {
      return await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })
    } finally {
      await adapter.close()
    }
  }

  it('connects with an URL-encoded password of special characters and Prisma-only parameters', async () => {
    expect(await findWith(urlWith(encodeURIComponent(PASSWORD), '?connection_limit=1&pool_timeout=5&connect_timeout=5'))).toEqual([])
  })

  it.skipIf(!existsSync(SOCKET))('connects through ?socket=', async () => {
    const server = new URL(database.url)
    expect(await findWith(`mysql://${user}:${encodeURIComponent(PASSWORD)}@localhost${server.pathname}?socket=${encodeURIComponent(SOCKET)}`)).toEqual([])
  })

  it('says the server refused the password, not only that the pool timed out', async () => {
    await expect(findWith(urlWith('wrong'))).rejects.toThrow(/Access denied for user/)
  }, 30_000)

  it('a server down when the worker starts: the first find waits for it and goes through once it is back, without spinning', async () => {
    // A TCP proxy to the server that refuses connections until `up`.
    let up = false
    const sockets = new Set<net.Socket>()
    const proxy = net.createServer((client) => {
      if (!up) return void client.destroy()
      const upstream = net.connect(Number(new URL(database.url).port || 3306), new URL(database.url).hostname)
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('error', () => undefined)
        socket.on('close', () => (client.destroy(), upstream.destroy()))
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const port = (proxy.address() as net.AddressInfo).port
    const server = new URL(database.url)
    const adapter = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { connectionString: `mysql://${user}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}${server.pathname}` } })
    const cpu = process.cpuUsage()
    try {
      const finding = adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' })
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      up = true
      expect(await finding).toEqual([])
      const used = process.cpuUsage(cpu)
      // Waiting for the server is not a busy loop: well under a second of CPU for those seconds.
      expect((used.user + used.system) / 1000).toBeLessThan(1_000)
    } finally {
      await adapter.close()
      for (const socket of sockets) socket.destroy()
      proxy.close()
    }
  }, 30_000)

  it('a malformed %-escape is a configuration error naming the option', () => {
    expect(() => mariadbConnectionConfig('mysql://u:p%ZZ@127.0.0.1/db')).toThrow(InvalidConfigError)
    expect(() => mariadbConnectionConfig('mysql://u:p%ZZ@127.0.0.1/db')).toThrow(/`mariadb`/)
  })
})

describe('mariadb option on an app pool that does not pipeline (pipelining: false, or permitLocalInfile)', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase('mysql')
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('a connection killed while a flight waits in the driver queue fails the find instead of hanging it for ever', async () => {
    const server = new URL(database.url)
    const options = { host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password), database: server.pathname.slice(1) }
    const pool = mariadb.createPool({ ...options, connectionLimit: 2, pipelining: false })
    const admin = await mariadb.createConnection(options)
    // Each connection handed out is busy in a long statement when the worker's flight is queued behind it, then killed.
    const killing = {
      query: (sql: Record<string, unknown>, values?: unknown[]) => pool.query(sql as { sql: string }, values),
      end: () => pool.end(),
      getConnection: async () => {
        const connection = await pool.getConnection()
        connection.query('DO SLEEP(5)').catch(() => undefined)
        setTimeout(() => void admin.query(`KILL CONNECTION ${connection.threadId}`).catch(() => undefined), 200)
        return connection
      },
    }
    const adapter = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { pool: killing } })
    const startedAt = Date.now()
    try {
      const outcome = await Promise.race([
        adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*' }).then(
          () => 'found',
          (error: Error) => `failed: ${error.message}`,
        ),
        new Promise((resolve) => setTimeout(() => resolve('still waiting after 8 s'), 8_000)),
      ])
      expect(outcome).toMatch(/^failed: /)
      expect(Date.now() - startedAt).toBeLessThan(6_000)
    } finally {
      await adapter.close()
      await admin.end()
      await pool.end().catch(() => undefined)
    }
  }, 30_000)
})

describe('mariadb option on an app pool with its own typeCast', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase('mysql')
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('reads the jobs table as it is, whatever the pool casts DATETIME to (here a Date in the local zone, 14 h off in Kiritimati)', async () => {
    const zone = process.env.TZ
    process.env.TZ = 'Pacific/Kiritimati'
    const server = new URL(database.url)
    const pool = mariadb.createPool({
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username),
      password: decodeURIComponent(server.password),
      database: server.pathname.slice(1),
      connectionLimit: 2,
      typeCast: (field, next) => (field.type === 'DATETIME' ? field.date() : next()),
    })
    const adapter = new PrismaAdapter({ db: database.db, model: database.model, mariadb: { pool } })
    try {
      const runAt = new Date(Date.now() - 1_000)
      const due = await adapter.schedule({ handler: { name: 'A', path: 'A/A', args: [] }, queue: 'q', priority: 1, runAt })
      await adapter.schedule({ handler: { name: 'A', path: 'A/A', args: [] }, queue: 'q', priority: 1, runAt: new Date(Date.now() + 60_000) })
      const found = await adapter.find({ processName: 'h:w', staleAfterSeconds: 60, queues: '*', limit: 5 })
      expect(found.map((job) => job.id)).toEqual([due])
      expect(found[0]!.runAt!.toISOString()).toBe(runAt.toISOString())
    } finally {
      process.env.TZ = zone
      await adapter.close()
      await pool.end()
    }
  })
})
