import { describe, expect, it } from 'vitest'
import { replaceImportMeta } from './replace-import-meta.js'

describe('replaceImportMeta', () => {
  it('turns fileURLToPath(import.meta.url) into __filename and drops the import it no longer needs', () => {
    const source = "import { join } from 'node:path'\nimport { fileURLToPath } from 'node:url'\n\nconst self = fileURLToPath(import.meta.url)\n"
    expect(replaceImportMeta(source)).toBe("import { join } from 'node:path'\n\nconst self = __filename\n")
  })

  it('keeps the other names of the node:url import, and fileURLToPath when still used', () => {
    expect(replaceImportMeta("import { fileURLToPath, pathToFileURL } from 'node:url'\nconst a = fileURLToPath(import.meta.url)\n"))
      .toBe("import { pathToFileURL } from 'node:url'\nconst a = __filename\n")
    expect(replaceImportMeta("import { fileURLToPath } from 'node:url'\nconst a = fileURLToPath(import.meta.url)\nconst b = fileURLToPath(x)\n"))
      .toBe("import { fileURLToPath } from 'node:url'\nconst a = __filename\nconst b = fileURLToPath(x)\n")
  })

  it('rebuilds a bare import.meta.url, dirname and filename', () => {
    expect(replaceImportMeta('f(import.meta.url, import.meta.dirname, import.meta.filename)\n'))
      .toBe("f(require('node:url').pathToFileURL(__filename).href, __dirname, __filename)\n")
  })

  it('leaves a file without import.meta untouched', () => {
    const source = "import { fileURLToPath } from 'node:url'\nfileURLToPath(u)\n"
    expect(replaceImportMeta(source)).toBe(source)
  })
})
