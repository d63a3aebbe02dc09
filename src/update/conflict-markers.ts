/**
 * True when `text` still holds a conflict: a `<<<<<<<` line and a `>>>>>>>`
 * line (git's markers, which `update` writes too). Used to refuse to merge
 * again, or to call the update done, while a conflict is unresolved.
 */
export function hasConflictMarkers(text: string): boolean {
  return /^<{7}(?: |\r?$)/m.test(text) && /^>{7}(?: |\r?$)/m.test(text)
}
