/**
 * `import.meta` does not exist in CommonJS (and TypeScript refuses it when
 * the app compiles to CommonJS), so for CommonJS apps the runtime's uses
 * become their CommonJS equivalents:
 *
 *   fileURLToPath(import.meta.url) → __filename
 *   import.meta.filename / dirname → __filename / __dirname
 *   import.meta.url                → require('node:url').pathToFileURL(__filename).href
 *
 * Works on ES module syntax (TypeScript or JavaScript). An import of
 * `fileURLToPath` left unused by the rewrite is removed, so apps with
 * `noUnusedLocals` still type-check.
 */
export function replaceImportMeta(source: string): string {
  if (!source.includes('import.meta')) return source
  let out = source
    .replaceAll('fileURLToPath(import.meta.url)', '__filename')
    .replaceAll('import.meta.filename', '__filename')
    .replaceAll('import.meta.dirname', '__dirname')
    .replaceAll('import.meta.url', "require('node:url').pathToFileURL(__filename).href")
  if (!/\bfileURLToPath\b(?!\s*[,}])/.test(out.replace(/^import[^\n]*from\s+['"]node:url['"];?$/gm, ''))) {
    out = out.replace(/^import\s*\{([^}]*)\}\s*from\s*(['"])node:url\2;?\n/m, (line, names: string) => {
      const rest = names.split(',').map((name) => name.trim()).filter((name) => name !== '' && name !== 'fileURLToPath')
      return rest.length === 0 ? '' : line.replace(/\{[^}]*\}/, `{ ${rest.join(', ')} }`)
    })
  }
  return out
}
