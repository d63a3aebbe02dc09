import type { Node, SourceFile } from 'ts-morph'
import type { TsMorph } from './parse-source.js'
import { JobNameTakenError, UneditableFileError } from './errors.js'
import { appendLine, lineRange, parseSource, splice } from './parse-source.js'

/**
 * Edits the app's jobs index (the registry the worker finds jobs in) one
 * line at a time.
 *
 * An ES module index (every `.ts` index, and `.js` in ESM apps) gets
 * `export { SendWelcomeEmailJob } from './SendWelcomeEmailJob/SendWelcomeEmailJob.js'`.
 * A CommonJS `.js` index gets
 * `exports.SendWelcomeEmailJob = require('./SendWelcomeEmailJob/SendWelcomeEmailJob.js').SendWelcomeEmailJob`,
 * the form Node's `import()` of a CommonJS module also sees as a named export.
 *
 * A new line goes in name order when the index's entries are sorted (on the
 * line after the entry it follows, or above the first entry), else after the
 * last entry, or at the end of the file when there is none. Its quotes and
 * semicolons follow the file's. Nothing else in the file changes.
 */

/** A job the index exports, and the statement that exports it. */
interface Entry {
  name: string
  node: Node
  /** Other names the same statement exports (`export { A, B } from …`). */
  shared: boolean
  /** The module it comes from (`./A/A.js`), or null when it is not a plain string. */
  specifier: string | null
}

/**
 * Adds `jobName` to the index text; returns the text unchanged when the index
 * already exports it from the job's own module.
 *
 * @throws {JobNameTakenError} when the index exports that name from another module.
 */
export async function addJobToIndex(
  path: string,
  text: string,
  job: { jobName: string; specifier: string; commonJs: boolean },
): Promise<string> {
  const { file, morph } = await parseSource(path, text)
  const entries = findEntries(morph, file, path, job.commonJs)
  const existing = entries.find((entry) => entry.name === job.jobName)
  if (existing && isJobModule(existing, job.jobName)) return text
  if (existing) throw new JobNameTakenError(job.jobName, path, existing.node.getText())

  const style = detectStyle(file, entries)
  const quoted = `${style.quote}${job.specifier}${style.quote}`
  const line = job.commonJs
    ? `exports.${job.jobName} = require(${quoted}).${job.jobName}${style.semicolon}`
    : `export { ${job.jobName} } from ${quoted}${style.semicolon}`

  if (entries.length === 0) return appendLine(text, line)
  const names = entries.map((entry) => entry.name.toLowerCase())
  const sorted = names.every((name, index) => index === 0 || names[index - 1] <= name)
  const nextIndex = sorted ? names.findIndex((name) => name > job.jobName.toLowerCase()) : -1
  if (nextIndex === 0) {
    // Above the first entry, below any header comment.
    const lineStart = text.lastIndexOf('\n', entries[0].node.getStart() - 1) + 1
    return splice(text, lineStart, lineStart, `${line}\n`)
  }
  // Below the entry it follows (so a comment heading the next group stays with that group),
  // after anything else on that entry's line (a trailing comment).
  const previous = entries[nextIndex === -1 ? entries.length - 1 : nextIndex - 1].node
  const newline = text.indexOf('\n', previous.getEnd())
  const at = newline === -1 ? text.length : newline
  return splice(text, at, at, `\n${line}`)
}

/**
 * Removes the line `addJobToIndex` writes for `jobName` (an entry exporting it
 * from `./<Name>/<Name>`, with or without an extension); returns the text
 * unchanged when there is none. An export of that name from elsewhere was
 * written by hand and stays.
 */
export async function removeJobFromIndex(path: string, text: string, job: { jobName: string; commonJs: boolean }): Promise<string> {
  const { file, morph } = await parseSource(path, text)
  const entries = findEntries(morph, file, path, job.commonJs)
  // Last first, so earlier positions stay valid.
  let result = text
  for (const entry of entries.filter((e) => e.name === job.jobName && isJobModule(e, job.jobName)).reverse()) {
    if (entry.shared) {
      throw new UneditableFileError(
        path,
        `${job.jobName} is exported together with other jobs in \`${entry.node.getText()}\``,
        `Remove ${job.jobName} from that line by hand, then run \`jobs-kit d job\` again.`,
      )
    }
    const [start, end] = lineRange(result, entry.node.getStart(), entry.node.getEnd())
    result = splice(result, start, end)
  }
  return result
}

/** True when the entry exports the job from its own module, `./<Name>/<Name>` (any extension or none). */
function isJobModule(entry: Entry, jobName: string): boolean {
  return entry.specifier !== null && entry.specifier.replace(/\.(c|m)?(j|t)s$/, '') === `./${jobName}/${jobName}`
}

function findEntries(morph: TsMorph, file: SourceFile, path: string, commonJs: boolean): Entry[] {
  const entries: Entry[] = []
  for (const statement of file.getStatements()) {
    if (!commonJs && morph.Node.isExportDeclaration(statement) && statement.getModuleSpecifier()) {
      const named = statement.getNamedExports()
      for (const specifier of named) {
        const name = specifier.getAliasNode()?.getText() ?? specifier.getName()
        entries.push({ name, node: statement, shared: named.length > 1, specifier: statement.getModuleSpecifierValue() ?? null })
      }
    } else if (commonJs && morph.Node.isExpressionStatement(statement)) {
      const expression = statement.getExpression()
      if (!morph.Node.isBinaryExpression(expression) || expression.getOperatorToken().getText() !== '=') continue
      const target = expression.getLeft().getText().replace(/\s+/g, '')
      const match = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target)
      if (match) entries.push({ name: match[1], node: statement, shared: false, specifier: requiredModule(morph, expression.getRight()) })
      else if (target === 'module.exports') {
        throw new UneditableFileError(
          path,
          'it assigns `module.exports` as a whole, and jobs-kit adds one `exports.Name = require(…).Name` line per job',
          'Rewrite it as one `exports.MyJob = require(\'./MyJob/MyJob\').MyJob` line per job, then run the command again.',
        )
      }
    }
  }
  return entries
}

/** `'./A/A.js'` from `require('./A/A.js').A` (or `require('./A/A.js')`), else null. */
function requiredModule(morph: TsMorph, expression: Node): string | null {
  const { Node } = morph
  const call = Node.isPropertyAccessExpression(expression) ? expression.getExpression() : expression
  if (!Node.isCallExpression(call) || call.getExpression().getText() !== 'require') return null
  const [argument] = call.getArguments()
  return argument && Node.isStringLiteral(argument) ? argument.getLiteralValue() : null
}

/** Quotes and semicolons as the index already writes them; single quotes and none by default. */
function detectStyle(file: SourceFile, entries: Entry[]): { quote: string; semicolon: string } {
  const sample = entries[0]?.node ?? file.getStatements().find((statement) => /['"]/.test(statement.getText()))
  if (!sample) return { quote: "'", semicolon: '' }
  const text = sample.getText()
  return { quote: /["']/.exec(text)?.[0] ?? "'", semicolon: text.trimEnd().endsWith(';') ? ';' : '' }
}
