import type { Tree } from '../../tree/tree.js'

/**
 * The app's name from package.json, as process names may carry it
 * (`@acme/shop` → `acme-shop`): pm2 keeps every app of a machine in one
 * daemon, so two apps' `jobs-kit-worker.default.0` would otherwise be one.
 */
export function readAppName(tree: Tree): string | undefined {
  try {
    const name = (JSON.parse(tree.read('package.json') ?? '{}') as { name?: unknown }).name
    if (typeof name !== 'string') return undefined
    const cleaned = name.replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '')
    return cleaned === '' ? undefined : cleaned
  } catch {
    return undefined
  }
}
