import type { IncomingMessage } from 'node:http'
import { textResponse, type DashboardResponse } from './respond.js'

/** How the dashboard reads a request of node:http, Express or Fastify's raw handler. */

/**
 * The URL and headers of a Node request, or the answer when they cannot be
 * used: 400 for a malformed Host or URL (any client can send `Host: [x`;
 * throwing would reject a promise servers do not await, and end the
 * process), 404 saying what to pass when Express mounts the dashboard at
 * another path than `basePath`.
 */
export function readNodeRequest(request: IncomingMessage, basePath: string): { url: URL; headers: Headers } | DashboardResponse {
  let url: URL
  let strippedPath: string
  const headers = new Headers()
  // Express strips its mount path from req.url; originalUrl keeps it, and links need it.
  const original = (request as IncomingMessage & { originalUrl?: string }).originalUrl
  try {
    // https when node:https (or a TLS socket) serves it: the CSRF cookie is then Secure.
    const protocol = (request.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http'
    // HTTP/2 (node:http2's compatibility API, Fastify with http2: true) names the host in `:authority`, not `Host`.
    const authority = request.headers[':authority']
    const host = request.headers.host ?? (typeof authority === 'string' ? authority : undefined)
    url = new URL(request.url ?? '/', `${protocol}://${host ?? 'localhost'}`)
    strippedPath = url.pathname
    if (original) url.pathname = new URL(original, url).pathname
    for (const [name, value] of Object.entries(request.headers)) {
      // Pseudo-headers (`:path`, `:authority`) are no header names: Headers refuses them.
      if (value !== undefined && !name.startsWith(':')) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    }
    if (host !== undefined && !headers.has('host')) headers.set('host', host)
  } catch {
    return textResponse(400, 'Bad request: the Host header or the URL is not valid.')
  }
  // Links are basePath + page: they reach this handler only when basePath lies under the mount path.
  const mountPath = original ? mountPathOf(url.pathname, strippedPath) : undefined
  if (mountPath && basePath !== mountPath && !basePath.startsWith(`${mountPath}/`)) {
    return textResponse(404, `Your server mounts the dashboard at ${mountPath}, but its basePath is '${basePath || '/'}': pass createDashboard({ basePath: '${mountPath}' }) so its links and forms work.`)
  }
  return { url, headers }
}

/** The path Express cut from `req.url` (its mount path; `''` when it cut nothing), or undefined when the two do not line up. */
function mountPathOf(originalPath: string, strippedPath: string): string | undefined {
  if (strippedPath === '/') return originalPath.replace(/\/+$/, '')
  return originalPath.endsWith(strippedPath) ? originalPath.slice(0, originalPath.length - strippedPath.length) : undefined
}

export function readNodeBody(request: IncomingMessage, limit: number): Promise<string> {
  // A body parser that ran before the dashboard (express.urlencoded) has read the stream already
  // and left the form in `req.body`. One that skipped the form may still have set `req.body`:
  // Express 4's express.json() sets `{}` for every request, so the stream, when unread, wins.
  const { body: parsed, _body: bodyParsed } = request as IncomingMessage & { body?: unknown; _body?: unknown }
  if (request.readableEnded || bodyParsed === true) {
    if (typeof parsed === 'object' && parsed !== null && !Buffer.isBuffer(parsed)) {
      return Promise.resolve(new URLSearchParams(parsed as Record<string, string>).toString())
    }
    return Promise.resolve(typeof parsed === 'string' ? parsed : '')
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new Error('body too large'))
        request.destroy()
      } else chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}
