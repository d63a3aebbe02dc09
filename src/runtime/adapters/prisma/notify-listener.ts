import type { Logger } from '../../types.js'
import { importPgClass } from './import-pg.js'

/** The channel `schedule` notifies and workers listen on; the payload is the job's queue. */
export const NOTIFY_CHANNEL = 'jobs_kit'

/** Reconnect delays after the listening connection drops, in milliseconds, doubling up to the last. */
const RECONNECT_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000]

/** What we use of a `pg.Client`. */
interface PgClient {
  connect(): Promise<unknown>
  query(sql: string): Promise<unknown>
  end(): Promise<void>
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown
  on(event: 'error' | 'end', listener: (error?: Error) => void): unknown
}

/**
 * One LISTEN connection (PostgreSQL), opened with the `pg` package, which is
 * loaded only here and only when the app asks for notifications: jobs-kit
 * does not depend on it. Calls `onNotify(queue)` for every job scheduled on a
 * due time; reconnects with backoff when the connection drops. Workers keep
 * polling every `sleepDelay` regardless, so a notification lost while
 * reconnecting delays a job by one poll at most.
 */
export class NotifyListener {
  private client: PgClient | undefined
  private stopped = false
  private attempt = 0
  private reconnectTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly connectionString: string,
    private readonly onNotify: (queue: string) => void,
    private readonly logger: Logger,
  ) {}

  /** Connects and listens; throws when `pg` is missing or the first connection fails. */
  async start(): Promise<void> {
    const pooled = pooledUrlReason(this.connectionString)
    if (pooled) {
      this.logger.warn(
        `[jobs-kit] notify: the connection string ${pooled}, where LISTEN succeeds but notifications never arrive ` +
          '(a transaction pooler gives the connection to someone else after each statement). Workers still poll every sleepDelay. ' +
          'Give notify a direct (unpooled) URL, such as the one in your datasource\'s directUrl.',
      )
    }
    await this.connect()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.reconnectTimer)
    const client = this.client
    this.client = undefined
    await client?.end().catch(() => {})
  }

  private async connect(): Promise<void> {
    const Client = await importPgClass<PgClientClass>(
      'Client',
      'PrismaAdapter({ notify }) listens for new jobs with PostgreSQL LISTEN/NOTIFY through the `pg` package, which is not installed. ' +
        'Install it (`npm install pg`), or remove `notify` from the adapter options to rely on polling alone.',
    )
    const client = new Client({ connectionString: this.connectionString, connectionTimeoutMillis: 10_000 })
    client.on('notification', (message) => {
      if (message.channel === NOTIFY_CHANNEL) this.onNotify(message.payload ?? '')
    })
    // 'error' without a listener would crash the process; both end in a reconnect.
    client.on('error', (error) => this.dropped(client, error))
    client.on('end', () => this.dropped(client))
    this.client = client
    await client.connect()
    await client.query(`LISTEN ${NOTIFY_CHANNEL}`)
    this.attempt = 0
  }

  private dropped(client: PgClient, error?: Error): void {
    if (this.stopped || this.client !== client) return
    this.client = undefined
    client.end().catch(() => {})
    const delayMs = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)]
    this.attempt += 1
    this.logger.warn(
      `[jobs-kit] the LISTEN connection for job notifications dropped${error ? ` (${error.message})` : ''}; ` +
        `reconnecting in ${delayMs} ms (workers keep polling meanwhile)`,
    )
    this.reconnectTimer = setTimeout(() => {
      if (this.stopped) return
      this.connect().catch((thrown: unknown) => this.dropped(this.client ?? client, thrown as Error))
    }, delayMs)
    this.reconnectTimer.unref()
  }
}

type PgClientClass = new (config: { connectionString: string; connectionTimeoutMillis?: number }) => PgClient

/**
 * Why a connection string cannot LISTEN, or null: the pooled URLs setup also
 * recognises (src/project/detect-database-url.ts in jobs-kit), for apps whose
 * production URL differs from the one setup saw.
 */
export function pooledUrlReason(connectionString: string): string | null {
  if (/[?&]pgbouncer=true\b/.test(connectionString)) return 'goes through PgBouncer (pgbouncer=true)'
  try {
    const url = new URL(connectionString)
    if (url.port === '6543') return 'uses port 6543, a transaction pooler\'s (Supabase, PgBouncer)'
    if (/-pooler\./.test(url.hostname)) return `is a pooled host (${url.hostname})`
  } catch {
    // Not a URL (a key=value string): nothing to tell.
  }
  return null
}
