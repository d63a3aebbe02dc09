/**
 * Test helpers: a node:http server around a dashboard, and a headless
 * Chromium (Debian's `chromium`, or CHROMIUM_PATH).
 */
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { createDashboard, type DashboardOptions } from '../../src/runtime/dashboard/index.js'

export interface ServedDashboard {
  /** `http://127.0.0.1:<port>` */
  origin: string
  close(): Promise<void>
}

export async function serveDashboard(options: DashboardOptions): Promise<ServedDashboard> {
  const dashboard = createDashboard(options)
  const server: Server = createServer((request, response) => void dashboard.node(request, response))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.`)
  }
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] })
}
