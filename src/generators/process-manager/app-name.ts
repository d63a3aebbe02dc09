import { basename } from 'node:path'
import type { Tree } from '../../tree/tree.js'

/**
 * The app's name as process names carry it: package.json's `name`
 * (`@acme/shop` → `acme-shop`), else the app folder's name (a RedwoodJS root
 * package.json has none). pm2 keeps every app of a machine in one daemon, so
 * two apps' `jobs-kit-worker.default.0` would otherwise be one: `pm2 start`
 * of the second would restart the first's workers and start none of its own.
 * The name is written into the file once, so it stays put across deploys.
 */
export function readAppName(tree: Tree): string | undefined {
  let name: unknown
  try {
    name = (JSON.parse(tree.read('package.json') ?? '{}') as { name?: unknown }).name
  } catch {
    name = undefined
  }
  return (typeof name === 'string' ? clean(name) : undefined) ?? clean(basename(tree.root))
}

function clean(name: string): string | undefined {
  const cleaned = name.replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '')
  return cleaned === '' ? undefined : cleaned
}
