import { createHash } from 'node:crypto'

/**
 * The hash `jobs-kit.json` records for a vendored file: its SHA-256 in
 * Subresource Integrity form (`sha256-<base64>`), over the exact bytes written.
 */
export function hashContent(content: string): string {
  return `sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}`
}

/**
 * True when `content` has the recorded hash. Also accepts the hex form
 * (`sha256-<hex>`), and content whose only difference is CRLF line endings
 * (git's `core.autocrlf` rewrites them on Windows checkouts).
 */
export function hashMatches(content: string, recorded: string): boolean {
  const candidates = content.includes('\r\n') ? [content, toLf(content)] : [content]
  return candidates.some((text) => {
    const digest = createHash('sha256').update(text, 'utf8').digest()
    return recorded === `sha256-${digest.toString('base64')}` || recorded === `sha256-${digest.toString('hex')}`
  })
}

/** `text` with CRLF line endings turned into LF. */
export function toLf(text: string): string {
  return text.replaceAll('\r\n', '\n')
}

/** True when two texts differ only in line endings (or not at all). */
export function sameText(a: string, b: string): boolean {
  return a === b || toLf(a) === toLf(b)
}
