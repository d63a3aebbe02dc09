import { InvalidJobNameError } from './errors.js'

/** Longest job name we accept, `Job` suffix included. Longer names make unreadable paths and imports. */
export const MAX_JOB_NAME_LENGTH = 64

/**
 * Words a job cannot be named after: JavaScript's reserved words (as a name
 * they read as the keyword: `DeleteJob` from `delete` is almost always a
 * typo or a misunderstanding), plus `index`, which would be confused with
 * the jobs index. `Job` alone is refused separately (nothing left once the
 * suffix is removed).
 */
const RESERVED_WORDS = new Set([
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default',
  'delete', 'do', 'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally', 'for', 'function',
  'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package',
  'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true',
  'try', 'typeof', 'undefined', 'var', 'void', 'while', 'with', 'yield',
  'index',
])

/**
 * Turns what the user typed into the job's export name: PascalCase with a
 * single `Job` suffix.
 *
 * `send-welcome-email`, `send_welcome_email`, `sendWelcomeEmail`,
 * `SendWelcomeEmail`, `SendWelcomeEmailJob` and `send-welcome-email-job` all
 * give `SendWelcomeEmailJob`. A part written in capitals only is read as a
 * word (`SEND_EMAIL` → `SendEmailJob`); capitals inside a mixed-case part are
 * kept (`sendHTMLEmail` → `SendHTMLEmailJob`).
 *
 * Only ASCII letters, digits, `-` and `_` are accepted, so the name is a valid
 * identifier, file name and folder name on every platform (`$` is refused:
 * legal in identifiers, but awkward in file names and shells).
 *
 * @throws {InvalidJobNameError} saying why the name was refused.
 */
export function normalizeJobName(input: string): string {
  const refuse = (reason: string): never => {
    throw new InvalidJobNameError(input, reason)
  }

  if (input.trim() === '') refuse('it is empty')
  if (input.length > MAX_JOB_NAME_LENGTH) refuse(`it is longer than ${MAX_JOB_NAME_LENGTH} characters`)
  if (input.includes('..')) refuse('it contains "..", which would point outside the jobs folder')
  if (/[/\\]/.test(input)) refuse('it contains a path separator; every job gets its own folder directly inside the jobs folder')
  if (/\s/.test(input)) refuse('it contains a space')
  const invalid = /[^A-Za-z0-9_-]/.exec(input)
  if (invalid) refuse(`it contains "${invalid[0]}", which cannot be part of a job name`)

  const parts = input.split(/[-_]+/).filter((part) => part !== '')
  if (parts.length === 0) refuse('it has no letters')
  if (/^[0-9]/.test(parts[0])) refuse('it starts with a digit')

  const pascal = parts.map(toWord).join('')
  const base = pascal.endsWith('Job') ? pascal.slice(0, -'Job'.length) : pascal
  if (base === '') refuse('it is only the "Job" suffix; name what the job does')
  if (RESERVED_WORDS.has(base.toLowerCase())) refuse(`"${base.toLowerCase()}" is a reserved word`)

  const name = `${base}Job`
  if (name.length > MAX_JOB_NAME_LENGTH) refuse(`"${name}" is longer than ${MAX_JOB_NAME_LENGTH} characters`)
  return name
}

function toWord(part: string): string {
  const allCapitals = /^[A-Z0-9]+$/.test(part) && part.length > 1
  const word = allCapitals ? part.toLowerCase() : part
  return word[0].toUpperCase() + word.slice(1)
}
