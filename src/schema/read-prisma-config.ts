import { posix } from 'node:path'
import type { Tree } from '../tree/tree.js'
import { UnreadablePrismaConfigError } from './errors.js'

/** The config file names Prisma loads from the project root, in its order. */
export const PRISMA_CONFIG_FILES = [
  'prisma.config.ts',
  'prisma.config.mts',
  'prisma.config.cts',
  'prisma.config.js',
  'prisma.config.mjs',
  'prisma.config.cjs',
]

/** What jobs-kit reads from prisma.config: paths only, relative to the tree root. */
export interface PrismaConfigPaths {
  file: string
  schema?: string
  migrationsPath?: string
}

/**
 * Reads `schema` and `migrations.path` from the app's prisma.config without
 * running it (running it would execute the app's code and need its
 * dependencies). String literals and `path.join`/`path.resolve` of string
 * literals (optionally starting with `__dirname` or `import.meta.dirname`)
 * are understood; anything else is an `UnreadablePrismaConfigError`, so the
 * user can pass `--schema` instead of us guessing.
 */
export function readPrismaConfig(tree: Tree): PrismaConfigPaths | null {
  const file = PRISMA_CONFIG_FILES.find((name) => tree.read(name) !== null)
  if (!file) return null
  const code = withoutComments(tree.read(file) ?? '')
  const configDir = posix.dirname(file)
  const result: PrismaConfigPaths = { file }

  const schema = propertyExpression(code, /(?:^|[{,\s])schema\s*:/g)
  if (schema !== undefined) result.schema = resolvePath(schema, configDir, file)

  const migrations = /(?:^|[{,\s])migrations\s*:\s*\{/g.exec(code)
  if (migrations) {
    const block = code.slice(migrations.index + migrations[0].length)
    const path = propertyExpression(block.slice(0, closingBrace(block)), /(?:^|[{,\s])path\s*:/g)
    if (path !== undefined) result.migrationsPath = resolvePath(path, configDir, file)
  }
  return result
}

/** The source text of a property's value, up to the `,` or `}` that ends it. */
function propertyExpression(code: string, key: RegExp): string | undefined {
  const match = key.exec(code)
  if (!match) return undefined
  let depth = 0
  let quote: string | null = null
  const start = match.index + match[0].length
  for (let i = start; i < code.length; i++) {
    const char = code[i]!
    if (quote) {
      if (char === '\\') i++
      else if (char === quote) quote = null
    } else if (char === '"' || char === "'" || char === '`') quote = char
    else if (char === '(' || char === '[' || char === '{') depth++
    else if (depth > 0 && (char === ')' || char === ']' || char === '}')) depth--
    else if (depth === 0 && (char === ',' || char === '}' || char === '\n')) return code.slice(start, i).trim()
  }
  return code.slice(start).trim()
}

function resolvePath(expression: string, configDir: string, file: string): string {
  const literal = stringLiteral(expression)
  if (literal !== null) return posix.normalize(posix.join(configDir, literal))
  const call = /^(?:path\s*\.\s*)?(?:join|resolve)\s*\(([\s\S]*)\)$/.exec(expression)
  if (call) {
    const args = call[1]!.split(',').map((arg) => arg.trim()).filter(Boolean)
    const parts: string[] = []
    for (const [index, arg] of args.entries()) {
      if (index === 0 && /^(__dirname|import\.meta\.dirname|process\.cwd\(\))$/.test(arg)) continue
      const part = stringLiteral(arg)
      if (part === null) throw new UnreadablePrismaConfigError(file, expression)
      parts.push(part)
    }
    if (parts.length > 0) return posix.normalize(posix.join(configDir, ...parts))
  }
  throw new UnreadablePrismaConfigError(file, expression)
}

function stringLiteral(text: string): string | null {
  const match = /^(['"`])((?:\\.|(?!\1).)*)\1$/s.exec(text)
  if (!match || (match[1] === '`' && match[2]!.includes('${'))) return null
  return match[2]!.replace(/\\(.)/g, '$1').replace(/\\/g, '/')
}

function closingBrace(code: string): number {
  let depth = 0
  for (let i = 0; i < code.length; i++) {
    if (code[i] === '{') depth++
    else if (code[i] === '}') {
      if (depth === 0) return i
      depth--
    }
  }
  return code.length
}

/** Drops `//` and `/* *\/` comments, leaving strings (which may hold `//`, as in URLs) alone. */
function withoutComments(code: string): string {
  let out = ''
  let quote: string | null = null
  for (let i = 0; i < code.length; i++) {
    const char = code[i]!
    if (quote) {
      out += char
      if (char === '\\') out += code[++i] ?? ''
      else if (char === quote) quote = null
    } else if (char === '"' || char === "'" || char === '`') {
      quote = char
      out += char
    } else if (char === '/' && code[i + 1] === '/') {
      while (i < code.length && code[i] !== '\n') i++
      out += '\n'
    } else if (char === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2)
      i = end === -1 ? code.length : end + 1
      out += ' '
    } else out += char
  }
  return out
}
