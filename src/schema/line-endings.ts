/** The line ending a file mostly uses: CRLF when most of its lines end in `\r\n`, else LF. */
export function detectLineEnding(content: string): '\r\n' | '\n' {
  const crlf = content.split('\r\n').length - 1
  const lf = content.split('\n').length - 1 - crlf
  return crlf > lf ? '\r\n' : '\n'
}

/** Rewrites every line break of `text` (LF or CRLF) as `eol`. */
export function withLineEnding(text: string, eol: '\r\n' | '\n'): string {
  return text.replace(/\r?\n/g, eol)
}
