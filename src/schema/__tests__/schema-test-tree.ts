import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Volume } from 'memfs'
import { createStagedTree, type StagedTree } from '../../tree/staged-tree.js'
import type { TreeFs } from '../../tree/tree-fs.js'

export const FIXTURES_DIR = fileURLToPath(new URL('../__fixtures__', import.meta.url))
export const APP_ROOT = '/app'

/** A staged tree over a memfs copy of `files` (paths relative to the app root). */
export function memoryTree(files: Record<string, string>): { tree: StagedTree; vol: InstanceType<typeof Volume> } {
  const vol = Volume.fromJSON(files, APP_ROOT)
  vol.mkdirSync(APP_ROOT, { recursive: true })
  return { vol, tree: createStagedTree({ root: APP_ROOT, fs: vol as unknown as TreeFs }) }
}

/** The files of `src/schema/__fixtures__/<name>`, keyed by path relative to the fixture. */
export function fixtureFiles(name: string): Record<string, string> {
  const root = join(FIXTURES_DIR, name)
  const files: Record<string, string> = {}
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry)
      if (statSync(path).isDirectory()) walk(path)
      else files[relative(root, path).split('\\').join('/')] = readFileSync(path, 'utf8')
    }
  }
  walk(root)
  return files
}
