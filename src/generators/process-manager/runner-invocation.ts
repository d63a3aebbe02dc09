import type { Tree } from '../../tree/tree.js'
import { InvalidJsonFileError } from '../../project/errors.js'
import { UnusableJobsScriptError } from './errors.js'

/**
 * How the app starts its runner, taken from its `jobs` script so that a
 * process manager runs workers exactly the way `npm run jobs` does:
 * `node [nodeArgs] <script> --config <config> [extraArgs]`.
 */
export interface RunnerInvocation {
  /** Flags for node before the script: `['--import', 'tsx']` for TypeScript apps, `[]` for JavaScript. */
  nodeArgs: string[]
  /** The vendored runner, relative to the app's root: `src/lib/jobs-kit/runner/cli.ts`. */
  script: string
  /** The jobs config, relative to the app's root. */
  config: string
  /** Arguments the script passes after `--config <config>` (a `--logger info`, say). */
  extraArgs: string[]
  /** Environment the runner needs: `TSX_TSCONFIG_PATH` where the script used `tsx --tsconfig`. */
  env: Record<string, string>
}

/** Node flags that take the next word as their value. */
const NODE_FLAGS_WITH_VALUE = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--env-file', '--conditions', '-C'])

/**
 * Reads the `jobs` script of the app's package.json. The `tsx` command form
 * (RedwoodJS apps, whose tsconfig is not at the root) becomes tsx's loader
 * inside node with `TSX_TSCONFIG_PATH`: a process manager must signal the
 * worker itself, and the tsx command, which relays signals, SIGKILLs a worker
 * that does not exit within 30 ms of a SIGINT (see plan-setup.ts).
 */
export function readRunnerInvocation(tree: Tree): RunnerInvocation {
  const text = tree.read('package.json')
  if (text === null) throw new UnusableJobsScriptError('there is no package.json at the app\'s root.')
  let pkg: { scripts?: Record<string, unknown> }
  try {
    pkg = JSON.parse(text) as typeof pkg
  } catch (error) {
    throw new InvalidJsonFileError('package.json', (error as Error).message)
  }
  const script = pkg.scripts?.jobs
  if (typeof script !== 'string') throw new UnusableJobsScriptError('package.json has no `jobs` script.')
  return parseJobsScript(script)
}

/** Parses one `jobs` script (see `readRunnerInvocation`). */
export function parseJobsScript(command: string): RunnerInvocation {
  const words = command.trim().split(/\s+/)
  const unusable = (why: string) => new UnusableJobsScriptError(`its \`jobs\` script, "${command}", ${why}.`)
  const nodeArgs: string[] = []
  const env: Record<string, string> = {}
  let index = 1
  if (words[0] === 'node') {
    while (index < words.length && words[index]!.startsWith('-')) {
      const flag = words[index++]!
      nodeArgs.push(flag)
      if (NODE_FLAGS_WITH_VALUE.has(flag)) {
        if (index >= words.length) throw unusable(`ends after ${flag}`)
        nodeArgs.push(words[index++]!)
      }
    }
  } else if (words[0] === 'tsx') {
    nodeArgs.push('--import', 'tsx')
    while (index < words.length && words[index]!.startsWith('-')) {
      const flag = words[index++]!
      if (flag !== '--tsconfig' || index >= words.length) throw unusable(`passes tsx the flag ${flag}, which has no equivalent for tsx's loader`)
      env.TSX_TSCONFIG_PATH = words[index++]!
    }
  } else {
    throw unusable('does not start with node or tsx')
  }
  const script = words[index++]
  if (script === undefined || !/runner\/cli\.[cm]?[jt]s$/.test(script)) throw unusable('does not run the vendored runner (<runtime>/runner/cli.ts or cli.js)')
  const rest = words.slice(index)
  const configAt = rest.indexOf('--config')
  const config = configAt === -1 ? undefined : rest[configAt + 1]
  if (config === undefined) throw unusable('does not pass --config <jobs config>')
  const extraArgs = [...rest.slice(0, configAt), ...rest.slice(configAt + 2)]
  return { nodeArgs, script, config, extraArgs, env }
}
