import { formatSchema } from './schema-wasm.js'

/** One level of indentation in a schema: a tab, or some number of spaces. */
export type Indentation = { kind: 'tab' } | { kind: 'spaces'; width: number }

/** What `prisma format` writes and what a schema without any indented line gets. */
const PRISMA_DEFAULT: Indentation = { kind: 'spaces', width: 2 }

/**
 * The indentation the schema's blocks use. Prisma blocks never nest, so
 * every indented line is one level deep: the most common leading whitespace
 * is the unit (a stray mis-indented line does not decide it).
 */
export function detectIndentation(texts: string[]): Indentation {
  const counts = new Map<string, number>()
  for (const text of texts) {
    for (const [, leading] of text.matchAll(/^([ \t]+)\S/gm)) counts.set(leading!, (counts.get(leading!) ?? 0) + 1)
  }
  let unit: string | undefined
  for (const [leading, count] of counts) if (!unit || count > counts.get(unit)!) unit = leading
  if (!unit) return PRISMA_DEFAULT
  return unit.startsWith('\t') ? { kind: 'tab' } : { kind: 'spaces', width: unit.length }
}

/**
 * `prisma format`'s layout (columns aligned with spaces) with `indentation`
 * at the start of each line: what the user's editor would keep.
 */
export function formatIndented(content: string, indentation: Indentation): string {
  if (indentation.kind === 'spaces') return formatSchema(content, indentation.width)
  return formatSchema(content, 1).replace(/^ (?=\S)/gm, '\t')
}
