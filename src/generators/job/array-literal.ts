import type { ArrayLiteralExpression } from 'ts-morph'
import { splice } from './parse-source.js'

/**
 * Adds and removes one element of an array literal by splicing text, so the
 * rest of the file stays byte-identical and `removeElement` exactly undoes
 * `appendElement` (the config's `queues` and `recurring` arrays).
 */

/** `text` with `literal` appended to `array`: on a new line, indented like the last element, when the array spans several lines. */
export function appendElement(text: string, array: ArrayLiteralExpression, literal: string): string {
  const elements = array.getElements()
  const last = elements[elements.length - 1]
  if (!last) {
    const at = array.getStart() + 1
    return splice(text, at, at, literal)
  }
  // The comma token itself, not a `,` in a comment after the last element (`// { job: 'Old', cron: … },`).
  const next = last.getNextSibling()
  const trailingComma = next?.getText() === ',' ? next : undefined
  if (array.getText().includes('\n')) {
    const lineStart = text.lastIndexOf('\n', last.getStart() - 1) + 1
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0]
    if (trailingComma) {
      const at = trailingComma.getEnd()
      return splice(text, at, at, `\n${indent}${literal},`)
    }
    return splice(text, last.getEnd(), last.getEnd(), `,\n${indent}${literal}`)
  }
  return splice(text, last.getEnd(), last.getEnd(), `, ${literal}`)
}

/** `text` without the element at `index` of `array`, and the separator `appendElement` wrote for it. */
export function removeElement(text: string, array: ArrayLiteralExpression, index: number): string {
  const elements = array.getElements()
  const element = elements[index]
  // From the end of the previous element, so the separator `appendElement` wrote goes with it.
  if (index > 0) return splice(text, elements[index - 1].getEnd(), element.getEnd())
  const next = elements[1]
  return splice(text, element.getStart(), next ? next.getStart() : element.getEnd())
}
