import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// Type-level guarantees of `recurring`: test/support/type-fixtures/recurring/
// is an app whose jobs index imports its config, compiled with tsc.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const fixtureDir = join(repoRoot, 'test/support/type-fixtures/recurring')
const config = join(fixtureDir, 'jobs.ts')
const directive = '// @ts-expect-error'

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
}

/** Every diagnostic in the fixture app, with `jobs.ts` optionally replaced by `source`. */
function compile(source?: string): string[] {
  const host = ts.createCompilerHost(options)
  if (source !== undefined) {
    const getSourceFile = host.getSourceFile.bind(host)
    host.getSourceFile = (file, languageVersion, onError, shouldCreate) =>
      resolve(file) === config ? ts.createSourceFile(file, source, languageVersion, true) : getSourceFile(file, languageVersion, onError, shouldCreate)
  }
  const program = ts.createProgram([config, join(fixtureDir, 'index.ts')], options, host)
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && resolve(diagnostic.file.fileName).startsWith(fixtureDir))
    .map((diagnostic) => {
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
      return `${diagnostic.file!.fileName.slice(fixtureDir.length + 1)}:${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`
    })
}

describe('recurring entry types', () => {
  const lines = readFileSync(config, 'utf8').split('\n')
  const expectedErrorLines = lines.flatMap((line, index) => (line.trim().startsWith(directive) ? [index + 2] : []))

  it('check job names and args against the jobs index without making the config reference itself (TS7022)', () => {
    expect(expectedErrorLines).toHaveLength(5)
    expect(compile()).toEqual([])
  }, 60_000)

  it('report each wrong entry on its own line once the directives are removed', () => {
    const stripped = lines.map((line) => (line.trim().startsWith(directive) ? '' : line)).join('\n')
    const errorLines = new Set(compile(stripped).map((message) => Number(/^jobs\.ts:(\d+):/.exec(message)?.[1])))
    expect([...errorLines].sort((a, b) => a - b)).toEqual(expectedErrorLines)
  }, 60_000)
})
