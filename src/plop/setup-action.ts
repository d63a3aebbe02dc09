import { planSetup } from '../generators/setup/index.js'
import { commitTree } from '../tree/commit-tree.js'
import { createStagedTree } from '../tree/staged-tree.js'
import { toPlopError } from './plop-error.js'

/**
 * Plans `jobs-kit setup` on a staged tree over `root`, commits it, and
 * returns what plop prints: the files written, then the next steps.
 */
export async function runSetupAction(root: string, answers: Record<string, unknown>, options: { force: boolean }): Promise<string> {
  const tree = createStagedTree({ root })
  const db = typeof answers.db === 'string' && answers.db.trim() !== '' ? answers.db.trim() : undefined
  try {
    const plan = await planSetup(tree, { db, force: options.force })
    const changes = commitTree(tree)
    const written = changes.length === 0 ? 'already set up, nothing to change' : changes.map((change) => `${change.kind} ${change.path}`).join(', ')
    return `${written}\nNext:\n${plan.nextSteps.join('\n')}`
  } catch (error) {
    throw toPlopError(error)
  }
}
