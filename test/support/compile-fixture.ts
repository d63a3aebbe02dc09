/**
 * Type-level tests: compiles a fixture under test/support/type-fixtures/ with
 * the TypeScript compiler (strict) and returns the diagnostics in that file.
 * Lines marked `// @ts-expect-error` must fail to compile, everything else must
 * compile; `expectedErrorLines` lists the lines after each directive.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import ts from 'typescript'

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
}
const directive = '// @ts-expect-error'

/** Compiles `fixture`, optionally with its source replaced; returns the diagnostics in the fixture, one line each. */
export function compileFixture(fixture: string, source?: string): ts.Diagnostic[] {
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

export function formatDiagnostics(diagnostics: ts.Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => {
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    return `line ${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`
  })
}

/** The fixture's `@ts-expect-error` lines: which lines must fail, and the source without the directives. */
export function readExpectations(fixture: string): { expectedErrorLines: number[]; stripped: string } {
  const lines = readFileSync(fixture, 'utf8').split('\n')
  const expectedErrorLines = lines.flatMap((line, index) => (line.trim().startsWith(directive) ? [index + 2] : []))
  const stripped = lines.map((line) => (line.trim().startsWith(directive) ? '' : line)).join('\n')
  return { expectedErrorLines, stripped }
}

/** The lines with at least one error, sorted. */
export function errorLines(diagnostics: ts.Diagnostic[]): number[] {
  const lines = new Set(diagnostics.map((diagnostic) => diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1))
  return [...lines].sort((a, b) => a - b)
}
