import { createRequire } from 'node:module'
import type { SourceFile } from 'ts-morph'

/** The ts-morph module. */
export type TsMorph = typeof import('ts-morph')

let tsMorph: Promise<TsMorph> | undefined

/**
 * ts-morph, loaded on first use: loading it costs about 200 ms of CPU (100
 * with the CLI's compile cache, src/startup/), which `jobs-kit --help` and
 * commands that never edit code must not pay. Through
 * `require`, not `import()`: ts-morph is CommonJS, and on Node 20 `import()`
 * of a CommonJS file first scans its whole source for export names and for
 * ESM syntax, about 100 ms more for ts-morph's 1 MB entry file.
 */
export function loadTsMorph(): Promise<TsMorph> {
  tsMorph ??= Promise.resolve().then(() => createRequire(import.meta.url)('ts-morph') as TsMorph)
  return tsMorph
}

/**
 * Parses `text` as the file at `path` (its extension picks TS or JS) in a
 * throwaway in-memory project. Edits are made by splicing text at node
 * positions, never by printing the AST, so everything the user wrote
 * (comments, quotes, semicolons, blank lines) stays byte-identical.
 */
export async function parseSource(path: string, text: string): Promise<{ file: SourceFile; morph: TsMorph }> {
  const morph = await loadTsMorph()
  const project = new morph.Project({
    useInMemoryFileSystem: true,
    compilerOptions: { allowJs: true },
    skipAddingFilesFromTsConfig: true,
  })
  return { file: project.createSourceFile(`/${path}`, text), morph }
}

/** `text` with `[start, end)` replaced by `insert`. */
export function splice(text: string, start: number, end: number, insert = ''): string {
  return text.slice(0, start) + insert + text.slice(end)
}

/**
 * The range of the whole line(s) a statement occupies, newline included: from
 * the start of its first line to after its last line's newline; at the end of
 * a file without a final newline, from the newline before it instead. Removing
 * it exactly undoes `insertLine`.
 */
export function lineRange(text: string, start: number, end: number): [number, number] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1
  const newline = text.indexOf('\n', end)
  if (newline !== -1) return [lineStart, newline + 1]
  return [Math.max(0, lineStart - 1), text.length]
}

/** Appends `line` as the file's last line, keeping a missing final newline missing. */
export function appendLine(text: string, line: string): string {
  if (text === '') return `${line}\n`
  return text.endsWith('\n') ? `${text}${line}\n` : `${text}\n${line}`
}
