// The compiler ts-morph bundles: jobs-kit depends on ts-morph, not on typescript.
import { ts } from 'ts-morph'
import type { Tree } from '../../tree/tree.js'
import { InvalidJsonFileError } from '../../project/errors.js'

/** What to add to the app's package.json. */
export interface PackageJsonAdditions {
  /** Scripts to add: name → command. */
  scripts: Record<string, string>
  /** Dev dependencies to add when the app has them in neither dependencies nor devDependencies. */
  devDependencies: Record<string, string>
  /** Dependencies to add when the app has them in neither dependencies nor devDependencies (`g job --cron` adds croner). */
  dependencies?: Record<string, string>
  /** Replace a script of the same name that runs something else. */
  force: boolean
  /** The package.json to edit (default the app's root one; `g job --cron` may pick a workspace's, e.g. Redwood's `api/package.json`). */
  path?: string
}

/**
 * Adds scripts and dev dependencies to package.json by editing its text:
 * every byte outside the inserted lines stays as it was (key order,
 * indentation, one-line arrays, final newline). A dependency goes in name
 * order when the map is sorted (npm keeps it so). A script of the same name
 * that runs something else is a conflict (shown with its diff, refused
 * without `force`).
 */
export function updatePackageJson(tree: Tree, additions: PackageJsonAdditions): void {
  const path = additions.path ?? 'package.json'
  const original = tree.read(path)
  if (original === null) return
  let pkg: Record<string, unknown>
  try {
    pkg = JSON.parse(original) as Record<string, unknown>
  } catch (error) {
    throw new InvalidJsonFileError(path, (error as Error).message)
  }

  let text = original
  let conflicting = false
  for (const [name, command] of Object.entries(additions.scripts)) {
    const existing = (pkg.scripts as Record<string, unknown> | undefined)?.[name]
    if (existing === command) continue
    if (existing !== undefined && !additions.force) conflicting = true
    text = setMember(text, 'scripts', name, command, false)
  }
  const dependencies = (pkg.dependencies ?? {}) as Record<string, unknown>
  const devDependencies = (pkg.devDependencies ?? {}) as Record<string, unknown>
  for (const [name, range] of Object.entries(additions.devDependencies)) {
    if (dependencies[name] !== undefined || devDependencies[name] !== undefined) continue
    text = setMember(text, 'devDependencies', name, range, true)
  }
  for (const [name, range] of Object.entries(additions.dependencies ?? {})) {
    if (dependencies[name] !== undefined || devDependencies[name] !== undefined) continue
    text = setMember(text, 'dependencies', name, range, true)
  }

  if (conflicting) tree.conflict(path, text)
  else tree.write(path, text)
}

/** Sets `root[section][name] = value` in the JSON text, creating `section` at the end of the root when missing. */
function setMember(text: string, section: string, name: string, value: string, keepSorted: boolean): string {
  const file = ts.parseJsonText('package.json', text)
  const root = file.statements[0]?.expression
  if (!root || !ts.isObjectLiteralExpression(root)) throw new InvalidJsonFileError('package.json', 'the top level is not an object')
  const unit = indentUnit(text)
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const entry = `${JSON.stringify(name)}: ${JSON.stringify(value)}`

  const sectionProperty = findProperty(root, section)
  if (!sectionProperty) {
    const block = `${JSON.stringify(section)}: {${eol}${unit}${unit}${entry}${eol}${unit}}`
    return insertProperty(text, file, root, block, unit, eol)
  }
  const object = sectionProperty.initializer
  if (!ts.isObjectLiteralExpression(object)) throw new InvalidJsonFileError('package.json', `"${section}" is not an object`)
  const existing = findProperty(object, name)
  if (existing) {
    return text.slice(0, existing.initializer.getStart(file)) + JSON.stringify(value) + text.slice(existing.initializer.end)
  }
  const innerIndent = indentOf(text, object.properties[0]?.getStart(file)) ?? unit + unit
  // `{ "a": "1" }` on one line stays on one line.
  const oneLine = object.properties.length > 0 && !text.slice(object.getStart(file), object.end).includes('\n')
  const separator = oneLine ? ' ' : `${eol}${innerIndent}`
  if (object.properties.length === 0) {
    return text.slice(0, object.getStart(file)) + `{${eol}${innerIndent}${entry}${eol}${unit}}` + text.slice(object.end)
  }
  if (keepSorted) {
    const names = object.properties.map((property) => propertyName(property))
    const sorted = names.every((current, i) => i === 0 || names[i - 1]!.localeCompare(current) <= 0)
    const next = sorted ? object.properties.find((property) => propertyName(property).localeCompare(name) > 0) : undefined
    if (next) {
      const at = next.getStart(file)
      return `${text.slice(0, at)}${entry},${separator}${text.slice(at)}`
    }
  }
  if (oneLine) {
    const last = object.properties[object.properties.length - 1]!
    return `${text.slice(0, last.end)}, ${entry}${text.slice(last.end)}`
  }
  return insertProperty(text, file, object, entry, innerIndent, eol)
}

/** Inserts `entry` after the last property of `object` (or into an empty one). */
function insertProperty(text: string, file: ts.JsonSourceFile, object: ts.ObjectLiteralExpression, entry: string, indent: string, eol: string): string {
  const last = object.properties[object.properties.length - 1]
  if (!last) {
    const close = object.end - 1
    return `${text.slice(0, close)}${eol}${indent}${entry}${eol}${text.slice(close)}`
  }
  const propertyIndent = indentOf(text, last.getStart(file)) ?? indent
  return `${text.slice(0, last.end)},${eol}${propertyIndent}${entry}${text.slice(last.end)}`
}

function findProperty(object: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return object.properties.find((property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && propertyName(property) === name)
}

function propertyName(property: ts.ObjectLiteralElementLike): string {
  const name = property.name
  return name && (ts.isStringLiteral(name) || ts.isIdentifier(name)) ? name.text : ''
}

/** The whitespace before the token at `offset`, when the token starts its line. */
function indentOf(text: string, offset: number | undefined): string | undefined {
  if (offset === undefined) return undefined
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1
  const before = text.slice(lineStart, offset)
  return /^[ \t]*$/.test(before) ? before : undefined
}

/** The file's indentation unit: a tab, or the leading spaces of its first indented line (2 by default). */
function indentUnit(text: string): string {
  const match = /^([ \t]+)\S/m.exec(text)
  if (!match) return '  '
  return match[1]!.startsWith('\t') ? '\t' : match[1]!
}
