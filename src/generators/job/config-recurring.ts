import type { ArrayLiteralExpression, Node, ObjectLiteralExpression, SourceFile } from 'ts-morph'
import { appendElement, removeElement } from './array-literal.js'
import { UneditableFileError } from './errors.js'
import { parseSource, splice, type TsMorph } from './parse-source.js'

/**
 * Adds and removes `g job --cron` entries in the `recurring: [...]` array of
 * `new JobManager({ … })` in the app's jobs config (the recurring-jobs
 * contract: `{ job, cron, timezone?, name?, args?, queue?, priority?, missed? }`).
 * Text is spliced at node positions, so the rest of the file stays
 * byte-identical and `removeRecurring` exactly undoes `addRecurring`.
 */

/** One entry as `g job --cron` writes it. */
export interface RecurringEntry {
  job: string
  cron: string
  timezone?: string
}

/** The entry's source text: `{ job: 'NightlyReportJob', cron: '0 3 * * *', timezone: 'Europe/Berlin' }`. */
export function recurringEntryText(entry: RecurringEntry): string {
  const timezone = entry.timezone === undefined ? '' : `, timezone: '${entry.timezone}'`
  return `{ job: '${entry.job}', cron: '${entry.cron}'${timezone} }`
}

/**
 * Adds `entry` to the config's `recurring` array, creating the array (after
 * `workers`, else as the last property) when there is none. The text comes
 * back unchanged when the same entry is there already.
 *
 * @throws {UneditableFileError} when there is no `new JobManager({ … })`, `recurring` is not an array literal, or the job already has another entry.
 */
export async function addRecurring(path: string, text: string, entry: RecurringEntry): Promise<{ text: string; createdArray: boolean }> {
  const { file, morph } = await parseSource(path, text)
  const options = findJobManagerOptions(morph, file)
  const literal = recurringEntryText(entry)
  if (!options) throw uneditable(path, literal, 'it has no `new JobManager({ … })`')
  const property = options.getProperty('recurring')
  if (property) {
    const array = recurringArray(morph, file, property)
    if (!array) throw notArrayLiteral(morph, path, literal, property)
    const existing = array.getElements().find((element) => entryJob(morph, element) === entry.job)
    if (existing && isSameSchedule(morph, existing, entry)) return { text, createdArray: false }
    if (existing) {
      throw new UneditableFileError(
        path,
        `\`recurring\` already has an entry for ${entry.job}: ${existing.getText()}`,
        `Edit that entry by hand to change ${entry.job}'s schedule, or remove it and run \`jobs-kit g job\` again.`,
      )
    }
    return { text: appendElement(text, array, literal), createdArray: false }
  }

  const properties = options.getProperties()
  const after = properties.find((node) => propertyName(morph, node) === 'workers') ?? properties[properties.length - 1]
  if (!after) throw uneditable(path, literal, 'the `new JobManager({ … })` options are empty')
  const lineStart = text.lastIndexOf('\n', after.getStart() - 1) + 1
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0]
  const unit = indent === '' ? '  ' : indent
  const block = `recurring: [\n${indent}${unit}${literal},\n${indent}]`
  const comma = commaAfter(text, after.getEnd())
  const inserted = comma !== null
    ? splice(text, comma + 1, comma + 1, `\n${indent}${block},`)
    : splice(text, after.getEnd(), after.getEnd(), `,\n${indent}${block}`)
  return { text: inserted, createdArray: true }
}

/**
 * Removes every entry of `recurring` whose `job` is `jobName` (it would name a
 * job that no longer exists), and the whole `recurring` property when it is
 * left empty and `removeArray` is set (g job created it). The text unchanged
 * when there is no such entry.
 */
export async function removeRecurring(path: string, text: string, jobName: string, removeArray: boolean): Promise<string> {
  let current = text
  for (;;) {
    const { file, morph } = await parseSource(path, current)
    const options = findJobManagerOptions(morph, file)
    const property = options?.getProperty('recurring')
    const array = property ? recurringArray(morph, file, property) : null
    if (!options || !property || !array) return current
    const elements = array.getElements()
    const index = elements.findIndex((element) => entryJob(morph, element) === jobName)
    if (index === -1) return current
    // The property goes only when it holds the array itself (not `recurring: schedules`, a const declared elsewhere).
    const inProperty = array.getStart() >= property.getStart() && array.getEnd() <= property.getEnd()
    if (elements.length === 1 && removeArray && inProperty) return removeProperty(current, options, property)
    current = removeElement(current, array, index)
  }
}

/** The job names the config's `recurring` entries name (string literals only). */
export async function readRecurringJobs(path: string, text: string): Promise<string[]> {
  const { file, morph } = await parseSource(path, text)
  const property = findJobManagerOptions(morph, file)?.getProperty('recurring')
  const array = property ? recurringArray(morph, file, property) : null
  return (array?.getElements() ?? []).map((element) => entryJob(morph, element)).filter((job): job is string => job !== null)
}

/** The property and the separator `addRecurring` wrote before it (and the comma after it, when it wrote one). */
function removeProperty(text: string, options: ObjectLiteralExpression, property: Node): string {
  const properties = options.getProperties()
  const previous = properties[properties.indexOf(property as never) - 1]
  const comma = commaAfter(text, property.getEnd())
  if (!previous) return splice(text, property.getStart(), comma !== null ? comma + 1 : property.getEnd())
  const previousComma = commaAfter(text, previous.getEnd())!
  return comma !== null ? splice(text, previousComma + 1, comma + 1) : splice(text, previous.getEnd(), property.getEnd())
}

/** The position of the comma right after `end` (whitespace between), or null. */
function commaAfter(text: string, end: number): number | null {
  const match = /^\s*,/.exec(text.slice(end))
  return match ? end + match[0].length - 1 : null
}

function findJobManagerOptions(morph: TsMorph, file: SourceFile): ObjectLiteralExpression | null {
  const { Node, SyntaxKind } = morph
  for (const expression of file.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    if (!/(^|\.)JobManager$/.test(expression.getExpression().getText())) continue
    const options = expression.getArguments()[0]
    if (options && Node.isObjectLiteralExpression(options)) return options
  }
  return null
}

/**
 * The array of `recurring: [ … ]`, also in its typed form
 * `recurring: (): RecurringEntry[] => recurringJobs<…>([ … ])`, and the
 * array of a `const` in the same file it names (`recurring: schedules`, `recurring`).
 */
function recurringArray(morph: TsMorph, file: SourceFile, property: Node): ArrayLiteralExpression | null {
  const { Node } = morph
  let current: Node | undefined = Node.isShorthandPropertyAssignment(property)
    ? property.getNameNode()
    : Node.isPropertyAssignment(property) ? property.getInitializer() : undefined
  for (let named = 0; ; ) {
    if (!current) return null
    if (Node.isIdentifier(current) && named++ < 5) current = file.getVariableDeclaration(current.getText())?.getInitializer()
    else if (Node.isAsExpression(current) || Node.isSatisfiesExpression(current) || Node.isParenthesizedExpression(current)) current = current.getExpression()
    else if (Node.isArrowFunction(current)) current = current.getBody()
    else if (Node.isCallExpression(current) && current.getArguments().length === 1) current = current.getArguments()[0]
    else return Node.isArrayLiteralExpression(current) ? current : null
  }
}

function propertyName(morph: TsMorph, node: Node): string | null {
  return morph.Node.isPropertyAssignment(node) || morph.Node.isShorthandPropertyAssignment(node) || morph.Node.isMethodDeclaration(node)
    ? node.getName()
    : null
}

/**
 * True when the entry has `entry`'s cron and time zone, however it is
 * written (quotes, spacing, more fields such as `missed`): a re-run after
 * Prettier finds its entry in place.
 */
function isSameSchedule(morph: TsMorph, element: Node, entry: RecurringEntry): boolean {
  return stringProperty(morph, element, 'cron') === entry.cron && stringProperty(morph, element, 'timezone') === (entry.timezone ?? null)
}

/** The string literal value of `element`'s property `name`, or null. */
function stringProperty(morph: TsMorph, element: Node, name: string): string | null {
  const { Node } = morph
  if (!Node.isObjectLiteralExpression(element)) return null
  const property = element.getProperty(name)
  const value = property && Node.isPropertyAssignment(property) ? property.getInitializer() : undefined
  return value && (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)) ? value.getLiteralValue() : null
}

/** `'X'` of an entry `{ job: 'X', … }`, or null. */
function entryJob(morph: TsMorph, element: Node): string | null {
  const { Node } = morph
  if (!Node.isObjectLiteralExpression(element)) return null
  const job = element.getProperty('job')
  const value = job && Node.isPropertyAssignment(job) ? job.getInitializer() : undefined
  return value && Node.isStringLiteral(value) ? value.getLiteralValue() : null
}

/** `recurring` is there but not an array g job can find: advice that makes it one, so the next `g job` can add to it. */
function notArrayLiteral(morph: TsMorph, path: string, literal: string, property: Node): UneditableFileError {
  const value = morph.Node.isPropertyAssignment(property) ? property.getInitializer()?.getText() : undefined
  const spread = value === undefined || value.includes('\n') ? 'yourEntries' : value
  return new UneditableFileError(
    path,
    '`recurring` is not an array literal (`recurring: [ … ]`) or a `const` array in that file',
    `Spread your entries into an array literal, \`recurring: [...${spread}]\`, then run \`jobs-kit g job\` again: it appends \`${literal}\` there.`,
  )
}

function uneditable(path: string, literal: string, detail: string): UneditableFileError {
  return new UneditableFileError(
    path,
    detail,
    `Add \`recurring: [${literal}]\` to your \`new JobManager({ … })\` yourself, then run \`jobs-kit g job\` again (it then leaves the entry alone).`,
  )
}
