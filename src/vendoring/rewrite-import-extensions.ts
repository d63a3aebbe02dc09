/**
 * Relative module specifiers in `import … from`, `export … from`, `import()`
 * and `require()`: `'./x.js'` is matched with the quote, the path without
 * `.js`, and the quote again.
 */
const RELATIVE_JS_SPECIFIER = /((?:\bfrom|\bimport|\brequire)\s*\(?\s*)(['"])(\.{1,2}\/[^'"\n]*?)\.js\2/g

/**
 * Drops the `.js` extension from relative imports (`'./worker.js'` →
 * `'./worker'`), for TypeScript apps whose resolution (bundler, node10)
 * imports without extensions. The runtime's sources carry `.js` because
 * this repo uses NodeNext.
 */
export function stripRelativeJsExtensions(source: string): string {
  return source.replace(RELATIVE_JS_SPECIFIER, (_match, lead: string, quote: string, path: string) => `${lead}${quote}${path}${quote}`)
}
