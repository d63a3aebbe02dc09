/**
 * Counts the round trips a Prisma client makes to its database, by wrapping
 * the real driver adapter (no mock: every statement still runs). One count
 * per statement sent (`queryRaw`, `executeRaw`), per `BEGIN` and per
 * `SET TRANSACTION ISOLATION LEVEL` a transaction opens with, and per
 * `COMMIT` or `ROLLBACK`, which is what Prisma 7's pg, MariaDB and
 * better-sqlite3 adapters send (see their `startTransaction`).
 */
export interface RoundTripCounter {
  count: number
  /** The statements counted, in order (BEGIN/SET/COMMIT/ROLLBACK by name), for a failing test's message. */
  log: string[]
}

type Method = (...args: unknown[]) => Promise<unknown>

/** Wraps a driver adapter factory (`new PrismaPg(…)`, `new PrismaMariaDb(…)`, …) so its connections count into `counter`. */
export function countingAdapter(factory: unknown, counter: RoundTripCounter): unknown {
  const note = (what: string) => {
    counter.count += 1
    counter.log.push(what)
  }
  const wrapQueryable = <T extends object>(target: T, isTransaction: boolean): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver) as unknown
        if (typeof value !== 'function') return value
        const method = value as Method
        if (property === 'queryRaw' || property === 'executeRaw') {
          return (query: { sql: string }, ...rest: unknown[]) => {
            note(query.sql.trim().split(/\s+/).slice(0, 2).join(' '))
            return method.call(object, query, ...rest)
          }
        }
        if (!isTransaction && property === 'startTransaction') {
          return async (isolationLevel?: string, ...rest: unknown[]) => {
            if (isolationLevel) note('SET TRANSACTION')
            note('BEGIN')
            return wrapQueryable((await method.call(object, isolationLevel, ...rest)) as object, true)
          }
        }
        if (isTransaction && (property === 'commit' || property === 'rollback')) {
          return () => {
            note(String(property).toUpperCase())
            return method.call(object)
          }
        }
        return method.bind(object)
      },
    })
  return new Proxy(factory as object, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown
      if (property === 'connect' && typeof value === 'function') {
        return async () => wrapQueryable((await (value as Method).call(object)) as object, false)
      }
      return typeof value === 'function' ? (value as Method).bind(object) : value
    },
  })
}
