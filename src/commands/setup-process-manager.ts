import { resolve } from 'node:path'
import { createStagedTree } from '../tree/staged-tree.js'
import { planPm2, planSystemd, readRunnerInvocation, readWorkers } from '../generators/process-manager/index.js'
import { readJobsKitJson } from '../app-record/jobs-kit-json.js'
import { applyTree } from './apply-tree.js'
import type { GlobalOptions } from './global-options.js'

/**
 * `jobs-kit setup pm2` / `setup systemd`: asks the app's runner for its
 * workers (the jobs config's, or `-n`'s), then plans the process manager's
 * file on a staged tree and applies it like every command that writes
 * (dry run, conflicts refused without --force).
 */
export async function setupProcessManager(what: 'pm2' | 'systemd', args: GlobalOptions & { n?: string }): Promise<void> {
  const root = resolve(args.cwd)
  // Only an app that jobs-kit set up has a runner to ask (NotSetUpError otherwise).
  readJobsKitJson(createStagedTree({ root }))
  const runner = readRunnerInvocation(createStagedTree({ root }))
  const workers = await readWorkers(root, runner, args.n)
  const plan = (force: boolean) => {
    const tree = createStagedTree({ root })
    const options = { workers, runner, force, workerSet: args.n }
    const result = what === 'pm2' ? planPm2(tree, options) : planSystemd(tree, { ...options, nodePath: process.execPath })
    return { tree, result }
  }
  const { tree, result } = plan(args.force)
  console.log(`Workers: ${workers.map((worker) => worker.title).join(', ')}\n`)
  const outcome = await applyTree(
    tree,
    {
      ...args,
      conflictAdvice: `${result.path} differs from what jobs-kit would write (you edited it, or the workers changed). ` +
        'Review the diff above; --force overwrites it, --dry-run shows it without writing.',
    },
    async () => plan(true).tree,
  )
  if (outcome === 'dry-run') return
  if (outcome === 'unchanged') console.log(`${result.path} is up to date.`)
  console.log(`\nNext:\n${result.howTo.map((line) => `  ${line}`).join('\n')}`)
}
