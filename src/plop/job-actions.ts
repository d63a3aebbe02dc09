import { destroyJob, generateJob, InvalidJobNameError, normalizeJobName } from '../generators/job/index.js'
import { commitTree } from '../tree/commit-tree.js'
import { createStagedTree } from '../tree/staged-tree.js'
import { toPlopError } from './plop-error.js'
import type { TreeFs } from '../tree/tree-fs.js'

/** A plop prompt validator: true, or why the name cannot be a job. */
export function validateJobName(input: unknown): true | string {
  try {
    normalizeJobName(String(input ?? ''))
    return true
  } catch (error) {
    if (error instanceof InvalidJobNameError) return `${error.message}. ${error.advice}`
    throw error
  }
}

/** A plop prompt validator for the optional priority: empty, or a whole number, 0 or more. */
export function validatePriority(input: unknown): true | string {
  const text = String(input ?? '').trim()
  return text === '' || /^\d+$/.test(text) ? true : 'A priority is a whole number, 0 or more (lower runs first), e.g. 10; leave it empty for the default, 50.'
}

/**
 * Plans `g job` or `d job` on a staged tree over `root`, commits it, and
 * returns what plop prints for the action: one `create|update|delete path`
 * per line. Errors are rethrown as plop shows them (see `toPlopError`).
 */
export async function runJobAction(
  kind: 'generate' | 'destroy',
  root: string,
  answers: Record<string, unknown>,
  options: { force: boolean; fs?: TreeFs },
): Promise<string> {
  const tree = createStagedTree({ root, fs: options.fs })
  const name = String(answers.name ?? '')
  try {
    const result = kind === 'generate'
      ? await generateJob(tree, {
          name,
          queue: optionalText(answers.queue),
          priority: answers.priority === undefined || String(answers.priority).trim() === '' ? undefined : Number(answers.priority),
          force: options.force,
          classStyle: answers.classStyle === true,
          cron: optionalText(answers.cron),
          timezone: optionalText(answers.timezone),
        })
      : await destroyJob(tree, { name })
    const changes = commitTree(tree)
    const lines = changes.map((change) => `${change.kind} ${change.path}`)
    return `${result.jobName}: ${lines.length === 0 ? 'nothing to change' : lines.join(', ')}`
  } catch (error) {
    throw toPlopError(error)
  }
}

/** A prompt's trimmed answer, or undefined when it was left empty. */
function optionalText(answer: unknown): string | undefined {
  return typeof answer === 'string' && answer.trim() !== '' ? answer.trim() : undefined
}
