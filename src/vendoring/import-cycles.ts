import { posix } from 'node:path'
// The compiler ts-morph bundles: jobs-kit depends on ts-morph, not on typescript.
import { ts } from 'ts-morph'

/**
 * The runtime files (paths as in `sources`) that are part of a cycle of
 * value imports. Type-only imports do not count: they disappear from the
 * JavaScript.
 */
export function modulesInCycles(sources: Map<string, string>): Set<string> {
  const graph = new Map<string, string[]>()
  for (const [path, source] of sources) {
    if (!/\.ts$/.test(path)) continue
    graph.set(path, valueImports(path, source).filter((target) => sources.has(target)))
  }
  const inCycles = new Set<string>()
  // Tarjan's strongly connected components: a component of more than one module, or a module importing itself, is a cycle.
  let index = 0
  const indices = new Map<string, number>()
  const lowLinks = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const connect = (node: string) => {
    indices.set(node, index)
    lowLinks.set(node, index)
    index += 1
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        connect(next)
        lowLinks.set(node, Math.min(lowLinks.get(node)!, lowLinks.get(next)!))
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node)!, indices.get(next)!))
      }
    }
    if (lowLinks.get(node) === indices.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) for (const m of component) inCycles.add(m)
    }
  }
  for (const node of graph.keys()) if (!indices.has(node)) connect(node)
  return inCycles
}

/** Relative modules `path` imports or re-exports for their values, as runtime paths (`worker/backoff.ts`). */
function valueImports(path: string, source: string): string[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS)
  const targets: string[] = []
  for (const statement of file.statements) {
    let specifier: ts.Expression | undefined
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause
      const typeOnly = clause?.isTypeOnly ||
        (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((element) => element.isTypeOnly))
      if (!typeOnly) specifier = statement.moduleSpecifier
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      specifier = statement.moduleSpecifier
    }
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      targets.push(posix.normalize(posix.join(posix.dirname(path), specifier.text.replace(/\.js$/, '.ts'))))
    }
  }
  return targets
}
