// The compiler ts-morph bundles: jobs-kit depends on ts-morph, not on typescript.
import { ts } from 'ts-morph'
import { replaceImportMeta } from './replace-import-meta.js'

/**
 * Rewrites an ES module (plain JavaScript, as `stripTypes` emits it) into the
 * CommonJS a person would write:
 *
 *   import { a, b as c } from './x.js'   →  const { a, b: c } = require('./x.js');
 *   import os from 'node:os'             →  const os = require('node:os');
 *   export function f() {}               →  function f() {}   …   module.exports = { f };
 *   export * from './errors.js'          →  module.exports = { ...require('./errors.js'), … };
 *
 * plus `'use strict'` (ES modules are strict) and `import.meta` in its
 * CommonJS form (`replaceImportMeta`). Dynamic `import()` stays, so ESM-only
 * code can still be loaded.
 *
 * Destructuring at require time is only right when the module is not part of
 * an import cycle (live bindings are lost), so callers use this for modules
 * outside cycles. Returns null for what it does not rewrite faithfully
 * (default exports, default or namespace imports of relative modules,
 * destructured or reassignable `let`/`var` exports); callers fall back to
 * TypeScript's CommonJS emit.
 */
export function esmToCommonJs(code: string): string | null {
  const file = ts.createSourceFile('module.js', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS)
  const edits: { start: number; end: number; text: string }[] = []
  const exported: string[] = []
  const spreads: string[] = []

  for (const statement of file.statements) {
    const start = statement.getStart(file)
    if (ts.isImportDeclaration(statement)) {
      const text = requireForImport(statement)
      if (text === null) return null
      edits.push({ start, end: statement.end, text })
    } else if (ts.isExportDeclaration(statement)) {
      const specifier = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined
      const clause = statement.exportClause
      if (!clause) {
        if (specifier === undefined) return null
        spreads.push(`...require(${quote(specifier)})`)
        edits.push({ start, end: statement.end, text: '' })
      } else if (ts.isNamedExports(clause)) {
        const bindings: string[] = []
        for (const element of clause.elements) {
          const local = (element.propertyName ?? element.name).getText(file)
          const name = element.name.getText(file)
          if (name === 'default' || local === 'default') return null
          if (specifier !== undefined) bindings.push(local === name ? name : `${local}: ${name}`)
          exported.push(specifier !== undefined || local === name ? name : `${name}: ${local}`)
        }
        const text = specifier === undefined || bindings.length === 0 ? '' : `const { ${bindings.join(', ')} } = require(${quote(specifier)});`
        edits.push({ start, end: statement.end, text })
      } else {
        return null // export * as ns from '…'
      }
    } else if (ts.isExportAssignment(statement)) {
      return null // export default …
    } else {
      const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : []
      const exportKeyword = modifiers.find((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
      if (!exportKeyword) continue
      if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)) return null
      const names = declaredNames(statement)
      if (names === null) return null
      exported.push(...names)
      const keywordStart = exportKeyword.getStart(file)
      let keywordEnd = exportKeyword.end
      while (code[keywordEnd] === ' ') keywordEnd += 1
      edits.push({ start: keywordStart, end: keywordEnd, text: '' })
    }
  }

  const kept = file.statements.filter((statement) => !edits.some((edit) => edit.text === '' && edit.end === statement.end))
  for (const edit of edits) if (edit.text === '') Object.assign(edit, wholeLines(code, edit.start, edit.end))
  let out = code
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end)
  }
  if (kept.length > 0) {
    const at = file.statements[0]!.getStart(file)
    out = `${out.slice(0, at)}'use strict';\n\n${out.slice(at)}`
  }
  out = replaceImportMeta(out).replace(/\s*$/, '\n')

  const members = [...spreads, ...exported]
  if (kept.length === 0 && members.length === 0 && out.trim() === '') {
    return '// This module only declares TypeScript types: in JavaScript it is empty.\n'
  }
  if (members.length > 0) {
    const oneLine = `module.exports = { ${members.join(', ')} };`
    out += `\n${oneLine.length <= 100 ? oneLine : `module.exports = {\n${members.map((member) => `  ${member},`).join('\n')}\n};`}\n`
  }
  return out
}

function requireForImport(statement: ts.ImportDeclaration): string | null {
  if (!ts.isStringLiteral(statement.moduleSpecifier)) return null
  const specifier = statement.moduleSpecifier.text
  const relative = specifier.startsWith('.')
  const clause = statement.importClause
  if (!clause) return `require(${quote(specifier)});`
  if (clause.isTypeOnly) return ''
  const bindings = clause.namedBindings
  if (clause.name) {
    // A built-in's default export is its module.exports; a relative module's is not.
    if (relative || bindings) return null
    return `const ${clause.name.text} = require(${quote(specifier)});`
  }
  if (!bindings) return ''
  if (ts.isNamespaceImport(bindings)) {
    return relative ? null : `const ${bindings.name.text} = require(${quote(specifier)});`
  }
  const names = bindings.elements
    .filter((element) => !element.isTypeOnly)
    .map((element) => (element.propertyName ? `${element.propertyName.text}: ${element.name.text}` : element.name.text))
  if (names.length === 0) return ''
  return `const { ${names.join(', ')} } = require(${quote(specifier)});`
}

/** Names a declaration statement binds, or null for forms we do not rewrite (destructuring). */
function declaredNames(statement: ts.Statement): string[] | null {
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return [statement.name.text]
  if (ts.isVariableStatement(statement)) {
    // `export let`/`var` may be reassigned later; module.exports would keep the first value.
    if (!(statement.declarationList.flags & ts.NodeFlags.Const)) return null
    const names: string[] = []
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name)) return null
      names.push(declaration.name.text)
    }
    return names
  }
  return null
}

/**
 * Widens a removal to the whole line(s) when the statement stands alone on
 * them, and takes one neighbouring blank line with it so no run of blank
 * lines is left behind.
 */
function wholeLines(code: string, start: number, end: number): { start: number; end: number } {
  const lineStart = code.lastIndexOf('\n', start - 1) + 1
  const lineEnd = code.indexOf('\n', end)
  if (code.slice(lineStart, start).trim() !== '' || code.slice(end, lineEnd === -1 ? code.length : lineEnd).trim() !== '') return { start, end }
  let newEnd = lineEnd === -1 ? code.length : lineEnd + 1
  const blankBefore = lineStart >= 2 && code[lineStart - 2] === '\n'
  const blankAfter = code[newEnd] === '\n'
  if (blankBefore && blankAfter) newEnd += 1
  return { start: lineStart, end: newEnd }
}

function quote(specifier: string): string {
  return `'${specifier.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}
