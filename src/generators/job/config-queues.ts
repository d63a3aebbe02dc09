import type { ArrayLiteralExpression, Expression, Node } from 'ts-morph'
import { UneditableFileError } from './errors.js'
import { appendElement, removeElement } from './array-literal.js'
import { parseSource, type TsMorph } from './parse-source.js'

/**
 * Reads and edits the `queues` array of `new JobManager({ … })` in the app's
 * jobs config, by splicing text at the array's element positions: the rest of
 * the file stays byte-identical, and `removeQueue` exactly undoes `addQueue`.
 */

/** The configured queue names, or null when `queues` is not an array of string literals we can read. */
export async function readQueues(path: string, text: string): Promise<string[] | null> {
  const array = await findQueuesArray(path, text)
  if (!array) return null
  const values = literalValues(array.array)
  return values.includes(null) ? null : (values as string[])
}

/**
 * Adds `queue` to the config's `queues` (quoted like the other queues; on a
 * new line when the array spans several). Returns the text unchanged when the
 * queue is already there.
 *
 * @throws {UneditableFileError} when the config has no `new JobManager({ queues: [...] })` to edit.
 */
export async function addQueue(path: string, text: string, queue: string): Promise<string> {
  const found = await findQueuesArray(path, text)
  if (!found) throw uneditable(path, queue, 'it has no `queues: [...]` array inside `new JobManager({ … })`')
  const { array } = found
  const values = literalValues(array)
  if (values.includes(queue)) return text
  if (values.includes(null)) throw uneditable(path, queue, '`queues` holds something other than string literals')

  const quote = array.getElements().at(-1)?.getText()[0] ?? "'"
  return appendElement(text, array, `${quote}${queue}${quote}`)
}

/** Removes `queue` from the config's `queues`; the text unchanged when it is not there. */
export async function removeQueue(path: string, text: string, queue: string): Promise<string> {
  const found = await findQueuesArray(path, text)
  if (!found) return text
  const index = literalValues(found.array).indexOf(queue)
  if (index === -1) return text
  return removeElement(text, found.array, index)
}

async function findQueuesArray(path: string, text: string): Promise<{ array: ArrayLiteralExpression; morph: TsMorph } | null> {
  const { file, morph } = await parseSource(path, text)
  const { Node, SyntaxKind } = morph
  for (const expression of file.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    if (!/(^|\.)JobManager$/.test(expression.getExpression().getText())) continue
    const options = expression.getArguments()[0]
    if (!options || !Node.isObjectLiteralExpression(options)) continue
    const property = options.getProperty('queues')
    if (!property || !Node.isPropertyAssignment(property)) continue
    const array = unwrap(morph, property.getInitializer())
    if (array) return { array, morph }
  }
  return null
}

/** `[...]`, `[...] as const`, `[...] satisfies …`, `([...])`. */
function unwrap(morph: TsMorph, expression: Expression | undefined): ArrayLiteralExpression | null {
  const { Node } = morph
  let current: Node | undefined = expression
  while (current && (Node.isAsExpression(current) || Node.isSatisfiesExpression(current) || Node.isParenthesizedExpression(current))) {
    current = current.getExpression()
  }
  return current && Node.isArrayLiteralExpression(current) ? current : null
}

/** Each element's string value, or null for an element that is not a plain string literal. */
function literalValues(array: ArrayLiteralExpression): (string | null)[] {
  return array.getElements().map((element) => {
    const text = element.getText()
    return /^(['"`])[^'"`\\$]*\1$/.test(text) ? text.slice(1, -1) : null
  })
}

function uneditable(path: string, queue: string, detail: string): UneditableFileError {
  return new UneditableFileError(
    path,
    detail,
    `Add "${queue}" to your configured queues yourself, then run \`jobs-kit g job\` again (it then leaves the config alone).`,
  )
}
