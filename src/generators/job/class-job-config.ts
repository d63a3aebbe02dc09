import type { Node, SourceFile } from 'ts-morph'
import { UneditableFileError } from './errors.js'
import { parseSource, splice, type TsMorph } from './parse-source.js'

/**
 * Adds and removes the `RedwoodJob.config(...)` call that class-style jobs
 * need in the app's jobs config. The runtime needs it to schedule a class job
 * (`performLater`) anywhere: without `static adapter` on the class,
 * `RedwoodJob.config({ adapter })` is where its adapter comes from, else
 * `MissingAdapterError`. Passing `jobs` makes scheduling check the registry
 * and queues as `later()` does, and `logger` gives class jobs the config's
 * logger. Workers do not need it (they run jobs through the JobManager).
 *
 * `g job --class` adds it the first time; `d job` takes it out with the last
 * class job. Text is spliced, so the rest of the file stays byte-identical.
 */

const CALL_COMMENT = '// Class-style jobs (`extends RedwoodJob`) schedule through this adapter, log through this logger,\n// and are checked against the jobs index and the queues, like `later()`.'

/** The statement `g job --class` adds after `new JobManager({ … })`. */
export function classJobConfigText(managerName: string, adapterKey: string): string {
  const adapter = /^[A-Za-z_$][\w$]*$/.test(adapterKey) ? `${managerName}.adapters.${adapterKey}` : `${managerName}.adapters[${JSON.stringify(adapterKey)}]`
  const jobs = managerName === 'jobs' ? 'jobs' : `jobs: ${managerName}`
  return `${CALL_COMMENT}\nRedwoodJob.config({ adapter: ${adapter}, logger: ${managerName}.logger, ${jobs} })`
}

/** True when the config already calls `RedwoodJob.config(` (written by hand or by `g job`). */
export function hasClassJobConfig(text: string): boolean {
  return /\bRedwoodJob\.config\s*\(/.test(text)
}

/**
 * Adds `RedwoodJob` to the import (or require) of `JobManager` and the
 * `RedwoodJob.config(...)` statement after the one that creates the manager.
 * The text unchanged when the config calls `RedwoodJob.config` already.
 *
 * @throws {UneditableFileError} when the config has no `const x = new JobManager({ adapters: { … } })` and import of `JobManager` to extend.
 */
export async function addClassJobConfig(path: string, text: string): Promise<string> {
  if (hasClassJobConfig(text)) return text
  const { file, morph } = await parseSource(path, text)
  const manager = findManager(morph, file)
  if (!manager) throw uneditable(path, 'it has no `const jobs = new JobManager({ … })` with an `adapters` object')
  const binding = findRuntimeBinding(morph, file)
  if (!binding) throw uneditable(path, 'it has no `import { JobManager } from …` (or `require`) to add RedwoodJob to')

  // In a config that ends statements with `;`, so does this one: else a next line starting with `(` or `[` would continue the call.
  const semicolon = text.slice(0, manager.statementEnd).endsWith(';') ? ';' : ''
  const statement = `\n\n${classJobConfigText(manager.name, manager.adapterKey)}${semicolon}`
  let edited = splice(text, manager.statementEnd, manager.statementEnd, statement)
  if (!binding.hasRedwoodJob) edited = splice(edited, binding.lastElementEnd, binding.lastElementEnd, ', RedwoodJob')
  return edited
}

/** Removes what `addClassJobConfig` added, when it is there as written; the text unchanged otherwise. */
export async function removeClassJobConfig(path: string, text: string): Promise<string> {
  const { file, morph } = await parseSource(path, text)
  const manager = findManager(morph, file)
  if (!manager) return text
  const call = `\n\n${classJobConfigText(manager.name, manager.adapterKey)}`
  const statement = [`${call};`, call].find((written) => text.startsWith(written, manager.statementEnd))
  if (statement === undefined) return text
  let edited = splice(text, manager.statementEnd, manager.statementEnd + statement.length)
  const binding = findRuntimeBinding(morph, file)
  // `, RedwoodJob` goes too when the config no longer uses it; it sits before the statement, so its positions still hold.
  if (binding?.redwoodJobRange && !/\bRedwoodJob\b/.test(edited.slice(binding.redwoodJobRange[1]))) {
    edited = splice(edited, binding.redwoodJobRange[0], binding.redwoodJobRange[1])
  }
  return edited
}

interface Manager {
  /** `jobs` of `const jobs = new JobManager(...)`. */
  name: string
  /** The adapter `later` schedules through (`createScheduler({ adapter: 'prisma' })`), else the first of `adapters`. */
  adapterKey: string
  /** The end of the statement that creates the manager. */
  statementEnd: number
}

function findManager(morph: TsMorph, file: SourceFile): Manager | null {
  const { Node, SyntaxKind } = morph
  for (const expression of file.getDescendantsOfKind(SyntaxKind.NewExpression)) {
    if (!/(^|\.)JobManager$/.test(expression.getExpression().getText())) continue
    const declaration = expression.getParentIfKind(SyntaxKind.VariableDeclaration)
    const statement = declaration?.getVariableStatement()
    const options = expression.getArguments()[0]
    if (!declaration || !statement || !Node.isIdentifier(declaration.getNameNode()) || !options || !Node.isObjectLiteralExpression(options)) continue
    const adapters = options.getProperty('adapters')
    const adaptersObject = adapters && Node.isPropertyAssignment(adapters) ? adapters.getInitializer() : undefined
    if (!adaptersObject || !Node.isObjectLiteralExpression(adaptersObject)) continue
    const keys = adaptersObject.getProperties().map((property) => propertyKey(morph, property)).filter((key): key is string => key !== null)
    const name = declaration.getName()
    const adapterKey = schedulerAdapter(morph, file, name) ?? keys[0]
    if (adapterKey === undefined) continue
    return { name, adapterKey, statementEnd: statement.getEnd() }
  }
  return null
}

/** `'prisma'` of `jobs.createScheduler({ adapter: 'prisma' })`. */
function schedulerAdapter(morph: TsMorph, file: SourceFile, managerName: string): string | null {
  const { Node, SyntaxKind } = morph
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (call.getExpression().getText() !== `${managerName}.createScheduler`) continue
    const options = call.getArguments()[0]
    const adapter = options && Node.isObjectLiteralExpression(options) ? options.getProperty('adapter') : undefined
    const value = adapter && Node.isPropertyAssignment(adapter) ? adapter.getInitializer() : undefined
    if (value && Node.isStringLiteral(value)) return value.getLiteralValue()
  }
  return null
}

function propertyKey(morph: TsMorph, property: Node): string | null {
  const { Node } = morph
  if (!Node.isPropertyAssignment(property) && !Node.isShorthandPropertyAssignment(property)) return null
  const nameNode = property.getNameNode()
  return Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText()
}

interface RuntimeBinding {
  /** The end of the last name in `{ JobManager, PrismaAdapter }`. */
  lastElementEnd: number
  hasRedwoodJob: boolean
  /** `, RedwoodJob` when it is the last name and not the first: what `removeClassJobConfig` may take out. */
  redwoodJobRange: [number, number] | null
}

/** The `{ … }` of the import or require that brings in `JobManager`. */
function findRuntimeBinding(morph: TsMorph, file: SourceFile): RuntimeBinding | null {
  const { Node, SyntaxKind } = morph
  const names: Node[][] = []
  for (const declaration of file.getImportDeclarations()) names.push(declaration.getNamedImports())
  for (const pattern of file.getDescendantsOfKind(SyntaxKind.ObjectBindingPattern)) {
    const initializer = pattern.getParentIfKind(SyntaxKind.VariableDeclaration)?.getInitializer()
    if (initializer && Node.isCallExpression(initializer) && initializer.getExpression().getText() === 'require') names.push(pattern.getElements())
  }
  for (const elements of names) {
    const texts = elements.map((element) => element.getText())
    if (!texts.includes('JobManager')) continue
    const last = elements[elements.length - 1]
    const index = texts.indexOf('RedwoodJob')
    const removable = index > 0 && index === elements.length - 1
    return {
      lastElementEnd: removable ? elements[index - 1].getEnd() : last.getEnd(),
      hasRedwoodJob: index !== -1,
      redwoodJobRange: removable ? [elements[index - 1].getEnd(), last.getEnd()] : null,
    }
  }
  return null
}

function uneditable(path: string, detail: string): UneditableFileError {
  return new UneditableFileError(
    path,
    detail,
    'Add `RedwoodJob` to the import from the vendored runtime and `RedwoodJob.config({ adapter: jobs.adapters.prisma, logger: jobs.logger, jobs })` after your JobManager yourself, then run `jobs-kit g job --class` again (it then leaves the config alone).',
  )
}
