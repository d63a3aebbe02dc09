import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
const TSX_LOADER = join(REPO, 'node_modules/tsx/dist/loader.mjs')

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs `jobs-kit` from source (through tsx) as a user would, with stdin a
 * pipe (not a TTY) that is closed at once: a prompt would see end of input
 * rather than hang the test.
 */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, join(REPO, 'src/cli.ts'), ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, ...options.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.stdin.end()
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`jobs-kit ${args.join(' ')} did not finish in 30 s (waiting for input?)\n${stdout}\n${stderr}`))
    }, 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** A fresh temp folder holding `files`. */
export function writeApp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-kit-cli-'))
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

/** Every file under `dir` with its content, and every folder (as `path/`), to compare whole trees. */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name)
      const key = relative(dir, path)
      if (statSync(path).isDirectory()) {
        out[`${key}/`] = ''
        walk(path)
      } else {
        out[key] = readFileSync(path, 'utf8')
      }
    }
  }
  walk(dir)
  return out
}

/**
 * Runs `jobs-kit` on a pseudo-terminal (util-linux `script`), answering the
 * first prompt with `keys` once it shows `prompt` (or, given a list of
 * `[prompt, keys]`, each prompt in turn). Output comes back with the
 * terminal's escape codes.
 */
export function runCliOnTerminal(args: string[], prompt: string | Array<[prompt: string, keys: string]>, keys = ''): Promise<CliRun> {
  const answers = typeof prompt === 'string' ? [[prompt, keys] as [string, string]] : [...prompt]
  const command = [process.execPath, '--import', TSX_LOADER, join(REPO, 'src/cli.ts'), ...args].map(shellQuote).join(' ')
  return new Promise((resolve, reject) => {
    // `script` opens a 0x0 terminal when its own stdin is not one: give it a size, or prompts wrap at every character.
    const child = spawn('script', ['-qec', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], {
      cwd: REPO,
      env: { ...process.env, TERM: 'xterm', COLUMNS: '120', LINES: '40' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    // Where in stdout the next prompt is looked for: after the previous one.
    let searchFrom = 0
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      const next = answers[0]
      if (!next) return
      const at = stdout.indexOf(next[0], searchFrom)
      if (at === -1) return
      answers.shift()
      searchFrom = at + next[0].length
      // Give the prompt a moment to switch the terminal to raw mode.
      setTimeout(() => child.stdin.write(next[1]), 300)
    })
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`jobs-kit ${args.join(' ')} on a terminal did not finish in 60 s\n${stdout}\n${stderr}`))
    }, 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`
}
