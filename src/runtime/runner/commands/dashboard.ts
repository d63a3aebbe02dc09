import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadEscaper } from '../../dashboard/html.js'
import { createDashboard, DASHBOARD_TOKEN_ENV } from '../../dashboard/index.js'
import { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT } from '../../defaults.js'
import type { RunnerJobManager } from '../job-manager-shape.js'
import { DashboardListenError } from '../errors.js'
import { oncePerKeypress } from '../signals.js'

/**
 * `npm run jobs -- dashboard`: serves the dashboard at `/` until SIGINT or
 * SIGTERM. Access: JOBS_DASHBOARD_TOKEN (required with NODE_ENV=production,
 * see dashboard/authorize.ts). Resolves when the server has closed.
 */
export async function serveDashboard(
  jobs: RunnerJobManager,
  options: { port?: number; host?: string; onListening?: (url: string) => void; onWarning?: (message: string) => void },
): Promise<void> {
  // Throws now, before listening, when production has no token.
  const dashboard = createDashboard({ jobs })
  // Throws now, with the install command, when escape-html is missing: not a server whose every page fails.
  await loadEscaper()
  const open = !process.env[DASHBOARD_TOKEN_ENV]
  // Without the token, the handler itself answers only localhost and IP addresses (DNS rebinding, see dashboard/host-check.ts).
  const server = createServer((request, response) => void dashboard.node(request, response))
  const port = options.port ?? DEFAULT_DASHBOARD_PORT
  const host = options.host ?? DEFAULT_DASHBOARD_HOST
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, host, port)))
    server.listen(port, host, resolve)
  })
  const address = server.address() as AddressInfo
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  options.onListening?.(`http://${shown}:${address.port}/`)
  if (open && !isLoopback(address.address)) {
    const where = address.address === '0.0.0.0' || address.address === '::' ? 'every address of this machine' : 'an address other machines can reach'
    options.onWarning?.(
      `The dashboard has no access control and listens on ${address.address} (${where}): anyone who can reach it can read and delete jobs. ` +
        `Set ${DASHBOARD_TOKEN_ENV} to a long random secret, or leave --host at ${DEFAULT_DASHBOARD_HOST}.`,
    )
  }
  await new Promise<void>((resolve) => {
    const stop = oncePerKeypress(() => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      server.close(() => resolve())
      server.closeAllConnections()
    })
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

/** The listen failures a user can fix, said with the fix; anything else as it came. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`
  if (error.code === 'EADDRINUSE') return new DashboardListenError(`${where} is already in use (another dashboard or server?). Stop it, or choose another port: dashboard --port <n>.`, { cause: error })
  if (error.code === 'EACCES') return new DashboardListenError(`Not allowed to listen on ${where} (ports below 1024 need privileges). Choose another port: dashboard --port <n>.`, { cause: error })
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return new DashboardListenError(`${host} is not an address of this machine. Use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface).`, { cause: error })
  return error
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address)
}
