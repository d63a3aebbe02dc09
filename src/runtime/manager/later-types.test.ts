import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// Type-level guarantees of the scheduling API, checked by compiling
// test/support/type-fixtures/later-types.ts with the TypeScript compiler.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const fixture = join(repoRoot, 'test/support/type-fixtures/later-types.ts')
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

/** Compiles the fixture, optionally with its source replaced; returns the diagnostics in the fixture. */
function compile(source?: string): ts.Diagnostic[] {
  const host = ts.createCompilerHost(options)
  if (source !== undefined) {
    const readFile = host.readFile.bind(host)
    host.readFile = (file) => (resolve(file) === fixture ? source : readFile(file))
    const getSourceFile = host.getSourceFile.bind(host)
    host.getSourceFile = (file, languageVersion, onError, shouldCreate) =>
      resolve(file) === fixture
        ? ts.createSourceFile(file, source, languageVersion, true)
        : getSourceFile(file, languageVersion, onError, shouldCreate)
  }
  const program = ts.createProgram([fixture], options, host)
  return ts.getPreEmitDiagnostics(program).filter((diagnostic) => diagnostic.file && resolve(diagnostic.file.fileName) === fixture)
}

function format(diagnostics: ts.Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => {
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    return `line ${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`
  })
}

describe('scheduling types', () => {
  const source = readFileSync(fixture, 'utf8')
  const lines = source.split('\n')
  const expectedErrorLines = lines.flatMap((line, index) => (line.trim().startsWith(directive) ? [index + 2] : []))

  it('compile the right calls and reject every wrong one (each @ts-expect-error is used)', () => {
    expect(expectedErrorLines.length).toBeGreaterThanOrEqual(15)
    expect(format(compile())).toEqual([])
  }, 60_000)

  it('report each wrong call on its own line once the directives are removed', () => {
    const stripped = lines.map((line) => (line.trim().startsWith(directive) ? '' : line)).join('\n')
    const errorLines = new Set(
      compile(stripped).map((diagnostic) => diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1),
    )
    expect([...errorLines].sort((a, b) => a - b)).toEqual(expectedErrorLines)
  }, 60_000)
})
