/**
 * True when `text` still holds a conflict marker: a line starting with
 * `<<<<<<<` or `>>>>>>>` (git's markers, which `update` writes too). Either
 * one is enough, so a half-cleaned conflict is not taken as resolved. A lone
 * `=======` line is not counted: it is legitimate in comments and Markdown.
 */
export function hasConflictMarkers(text: string): boolean {
  return /^(?:<{7}|>{7})(?: |\r?$)/m.test(text)
}
