import { InvalidJsonFileError } from './errors.js'

/**
 * Parses JSON with comments and trailing commas, the dialect of tsconfig.json
 * and jsconfig.json. Strings are copied untouched, so `"src/*"` or a URL with
 * `//` inside quotes survive.
 */
export function parseJsonc(text: string, path: string): unknown {
  let out = ''
  let i = 0
  while (i < text.length) {
    const char = text[i]!
    if (char === '"') {
      const start = i
      i += 1
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
      out += text.slice(start, i + 1)
      i += 1
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i += 1
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end === -1 ? text.length : end + 2
    } else {
      out += char
      i += 1
    }
  }
  // Trailing commas: a comma followed only by whitespace before } or ].
  const strict = out.replace(/,(\s*[}\]])/g, '$1')
  try {
    return JSON.parse(strict)
  } catch (error) {
    throw new InvalidJsonFileError(path, (error as Error).message)
  }
}
