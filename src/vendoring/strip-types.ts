// The compiler ts-morph bundles: jobs-kit depends on ts-morph, not on typescript.
import { ts } from 'ts-morph'
import { replaceImportMeta } from './replace-import-meta.js'

/** Placeholder that carries a blank line through the TypeScript emitter, which drops blank lines. */
const BLANK_LINE_MARKER = '//__jobs_kit_blank_line__'

/** Options of `stripTypes`. */
export interface StripTypesOptions {
  /** `esm` keeps `import`/`export`; `cjs` emits `require`/`exports` (and keeps `import()` for ESM-only dependencies). */
  moduleType: 'esm' | 'cjs'
  /** For messages. */
  fileName: string
}

/**
 * Turns a runtime TypeScript file into the JavaScript a user would have
 * written: types removed with TypeScript's `transpileModule`, comments and
 * blank lines kept, two-space indentation (the emitter uses four). For
 * CommonJS, `import.meta` becomes its CommonJS equivalent (`replaceImportMeta`).
 */
export function stripTypes(source: string, options: StripTypesOptions): string {
  let input = mapLinesOutsideTemplates(source, ts.ScriptKind.TS, (line) => (line.trim() === '' ? BLANK_LINE_MARKER : line))
  if (options.moduleType === 'cjs') input = replaceImportMeta(input)
  const { outputText } = ts.transpileModule(input, {
    // `.cts` with NodeNext makes TypeScript emit CommonJS while keeping `import()` as is.
    fileName: options.moduleType === 'cjs' ? options.fileName.replace(/\.ts$/, '.cts') : options.fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: options.moduleType === 'cjs' ? ts.ModuleKind.NodeNext : ts.ModuleKind.ESNext,
      moduleResolution: options.moduleType === 'cjs' ? ts.ModuleResolutionKind.NodeNext : ts.ModuleResolutionKind.Bundler,
      removeComments: false,
      esModuleInterop: false,
      verbatimModuleSyntax: false,
      isolatedModules: true,
    },
    reportDiagnostics: false,
  })
  const reindented = reindent(outputText)
  return tidy(reindented)
}

/** Four-space emitter indentation to two, leaving template literal contents alone. */
function reindent(code: string): string {
  return mapLinesOutsideTemplates(code, ts.ScriptKind.JS, (line) => line.replace(/^( {4})+/, (spaces) => ' '.repeat(spaces.length / 2)))
}

/** Markers back to blank lines, no runs of blank lines where types were erased, no blank line at the top. */
function tidy(code: string): string {
  let previousBlank = true
  const lines = mapLinesOutsideTemplates(code, ts.ScriptKind.JS, (line) => {
    const text = line.trim() === BLANK_LINE_MARKER ? '' : line.replace(` ${BLANK_LINE_MARKER}`, '').replace(BLANK_LINE_MARKER, '')
    const blank = text.trim() === ''
    const drop = blank && previousBlank
    previousBlank = blank
    return drop ? null : blank ? '' : text
  })
  return lines.replace(/\n*$/, '\n')
}

/**
 * Applies `map` to every line that does not start inside a template literal
 * (whose text must not change); `null` drops the line.
 */
function mapLinesOutsideTemplates(code: string, kind: ts.ScriptKind, map: (line: string) => string | null): string {
  const ranges = templateRanges(code, kind)
  const out: string[] = []
  let offset = 0
  for (const line of code.split('\n')) {
    const inTemplate = ranges.some(([start, end]) => offset > start && offset < end)
    const mapped = inTemplate ? line : map(line)
    if (mapped !== null) out.push(mapped)
    offset += line.length + 1
  }
  return out.join('\n')
}

/** [start, end) offsets of every template literal part. */
function templateRanges(code: string, kind: ts.ScriptKind): [number, number][] {
  const file = ts.createSourceFile(kind === ts.ScriptKind.TS ? 'in.ts' : 'out.js', code, ts.ScriptTarget.ES2022, true, kind)
  const ranges: [number, number][] = []
  const visit = (node: ts.Node) => {
    if (
      ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) || ts.isTemplateTail(node)
    ) ranges.push([node.getStart(file), node.end])
    ts.forEachChild(node, visit)
  }
  visit(file)
  return ranges
}
