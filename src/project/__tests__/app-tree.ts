import { Volume } from 'memfs'
import { createStagedTree, type StagedTree } from '../../tree/staged-tree.js'
import type { TreeFs } from '../../tree/tree-fs.js'

/** A staged tree over a memfs app at /app holding `files` (for detection and setup tests). */
export function appTree(files: Record<string, string>): { tree: StagedTree; vol: InstanceType<typeof Volume> } {
  const vol = Volume.fromJSON(files, '/app')
  vol.mkdirSync('/app', { recursive: true })
  return { vol, tree: appTree.over(vol) }
}

/** A fresh tree over an existing volume (what a second command run sees). */
appTree.over = (vol: InstanceType<typeof Volume>): StagedTree => createStagedTree({ root: '/app', fs: vol as unknown as TreeFs })
