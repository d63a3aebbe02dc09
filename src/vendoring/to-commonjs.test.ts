import { describe, expect, it } from 'vitest'
import { esmToCommonJs } from './to-commonjs.js'

describe('esmToCommonJs', () => {
  it('turns imports into destructured requires and exports into one module.exports', () => {
    const esm = [
      '/** A module. */',
      "import { readFileSync } from 'node:fs';",
      "import { a, b as c } from './x.js';",
      "import os from 'node:os';",
      "import * as path from 'node:path';",
      "import './side-effect.js';",
      '',
      'export const LIMIT = 3;',
      'export function f() {',
      '  return readFileSync, a, c, os, path, import.meta.url;',
      '}',
      'export class K {',
      '}',
      'const hidden = 1;',
      'export { hidden as shown };',
      "export { y, z as zed } from './y.js';",
      "export * from './errors.js';",
      '',
    ].join('\n')
    expect(esmToCommonJs(esm)).toBe([
      '/** A module. */',
      "'use strict';",
      '',
      "const { readFileSync } = require('node:fs');",
      "const { a, b: c } = require('./x.js');",
      "const os = require('node:os');",
      "const path = require('node:path');",
      "require('./side-effect.js');",
      '',
      'const LIMIT = 3;',
      'function f() {',
      "  return readFileSync, a, c, os, path, require('node:url').pathToFileURL(__filename).href;",
      '}',
      'class K {',
      '}',
      'const hidden = 1;',
      "const { y, z: zed } = require('./y.js');",
      '',
      "module.exports = { ...require('./errors.js'), LIMIT, f, K, shown: hidden, y, zed };",
      '',
    ].join('\n'))
  })

  it('keeps dynamic import() and template text as they are', () => {
    const esm = 'export async function load(p) {\n  const text = `a\n\n\nb`;\n  return import(p);\n}\n'
    expect(esmToCommonJs(esm)).toBe("'use strict';\n\nfunction load(p) {\n  const text = `a\n\n\nb`;\n  return import(p);\n}\n\nmodule.exports = { load };\n".replace('function load', 'async function load'))
  })

  it('gives up (null) on what it would not rewrite faithfully', () => {
    expect(esmToCommonJs('export default 1;\n')).toBeNull()
    expect(esmToCommonJs("import x from './x.js';\n")).toBeNull()
    expect(esmToCommonJs("import * as x from './x.js';\n")).toBeNull()
    expect(esmToCommonJs("export * as x from './x.js';\n")).toBeNull()
    expect(esmToCommonJs('export const { a } = b;\n')).toBeNull()
    expect(esmToCommonJs('export let count = 0;\nexport function bump() { count += 1; }\n')).toBeNull()
  })

  it('leaves a note in a module that only had types', () => {
    expect(esmToCommonJs('export {};\n')).toBe('// This module only declares TypeScript types: in JavaScript it is empty.\n')
  })
})
