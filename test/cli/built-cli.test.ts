import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runCli, type CliRun } from './run-cli.js'

// The published CLI is dist/cli.js as scripts/build-cli.mjs bundles it (yargs
// inlined, one string-width, yargs' translations copied next to it). Whatever
// the bundling does, a user must see exactly what the unbundled CLI (the
// sources through tsx, with every package as installed) prints. Needs
// `npm run build` first, as `npm test` does.
const REPO = fileURLToPath(new URL('../../', import.meta.url))
const BUILT_CLI = join(REPO, 'dist/cli.js')

function runBuiltCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Locale variables as a user's shell sets them; yargs reads LC_ALL first. */
const locale = (name: string) => ({ LC_ALL: name, LC_MESSAGES: '', LANG: name, LANGUAGE: '' })

const EVERY_SCREEN = [
  ['--help'],
  ['setup', '--help'],
  ['g', 'job', '--help'],
  ['generate', '--help'],
  ['d', 'job', '--help'],
  ['diff', '--help'],
  ['update', '--help'],
  ['--version'],
  ['frobnicate'],
  ['g', 'job'],
  ['setup', '--ts', '--js', '--cwd', '/nonexistent'],
]

// German for yargs' own words, and three languages whose characters are two columns wide.
const LOCALES = ['de_DE.UTF-8', 'ja_JP.UTF-8', 'zh_CN.UTF-8', 'ko_KR.UTF-8']
const TRANSLATED_SCREENS = [['--help'], ['g', 'job', '--help'], ['frobnicate']]

describe('the built CLI (dist/cli.js)', () => {
  it('is the bundle: yargs is inlined, its translations are next to it', () => {
    expect(existsSync(BUILT_CLI), 'dist/cli.js is missing: run `npm run build`').toBe(true)
    const bundle = readFileSync(BUILT_CLI, 'utf8')
    expect(bundle.startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(bundle).not.toMatch(/from ["']yargs(\/[^"']*)?["']/)
    expect(existsSync(join(REPO, 'dist/yargs-locales/de.json'))).toBe(true)
  })

  it.each(EVERY_SCREEN.map((args) => [args.join(' '), args]))('prints what the unbundled CLI prints: %s', async (_, args) => {
    const env = locale('en_US.UTF-8')
    const [built, source] = await Promise.all([runBuiltCli(args, env), runCli(args, { env })])
    expect(built).toEqual(source)
  })

  it.each(LOCALES.flatMap((name) => TRANSLATED_SCREENS.map((args) => [name, args.join(' '), args] as const)))(
    'prints what the unbundled CLI prints in %s: %s',
    async (name, _, args) => {
      const env = locale(name)
      const [built, source] = await Promise.all([runBuiltCli([...args], env), runCli([...args], { env })])
      expect(built).toEqual(source)
      if (args[0] === '--help') expect(built.stdout).not.toMatch(/^Commands:$/m) // translated, not yargs' English fallback
    },
  )
})
