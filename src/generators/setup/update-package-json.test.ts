import { describe, expect, it } from 'vitest'
import { appTree } from '../../project/__tests__/app-tree.js'
import { updatePackageJson } from './update-package-json.js'

const add = (text: string, force = false) => {
  const { tree } = appTree({ 'package.json': text })
  updatePackageJson(tree, { scripts: { jobs: 'tsx cli.ts' }, devDependencies: { tsx: '^4.0.0' }, force })
  return { text: tree.read('package.json')!, conflicts: tree.conflicts().map((c) => c.path), wanted: tree.conflicts()[0]?.wanted }
}

describe('updatePackageJson', () => {
  it('adds the script last and tsx in name order, touching no other byte', () => {
    const text = '{\n  "name": "a",\n  "scripts": {\n    "dev": "x"\n  },\n  "devDependencies": {\n    "prisma": "7",\n    "typescript": "5"\n  },\n  "files": ["dist", "src"]\n}\n'
    expect(add(text).text).toBe(
      '{\n  "name": "a",\n  "scripts": {\n    "dev": "x",\n    "jobs": "tsx cli.ts"\n  },\n  "devDependencies": {\n    "prisma": "7",\n    "tsx": "^4.0.0",\n    "typescript": "5"\n  },\n  "files": ["dist", "src"]\n}\n',
    )
  })

  it('creates missing sections at the end, with the file\'s tab indentation and CRLF line ends', () => {
    const text = '{\r\n\t"name": "a"\r\n}'
    expect(add(text).text).toBe('{\r\n\t"name": "a",\r\n\t"scripts": {\r\n\t\t"jobs": "tsx cli.ts"\r\n\t},\r\n\t"devDependencies": {\r\n\t\t"tsx": "^4.0.0"\r\n\t}\r\n}')
  })

  it('keeps a one-line object on one line, and fills an empty one', () => {
    const text = '{\n  "scripts": {},\n  "devDependencies": { "a": "1", "z": "2" }\n}\n'
    expect(add(text).text).toBe('{\n  "scripts": {\n    "jobs": "tsx cli.ts"\n  },\n  "devDependencies": { "a": "1", "tsx": "^4.0.0", "z": "2" }\n}\n')
  })

  it('appends to an unsorted dependency map', () => {
    const text = '{\n  "devDependencies": {\n    "z": "1",\n    "a": "2"\n  }\n}\n'
    expect(add(text).text).toContain('"a": "2",\n    "tsx": "^4.0.0"\n  }')
  })

  it('leaves tsx alone when it is a dependency already', () => {
    const text = '{\n  "dependencies": { "tsx": "^3" },\n  "scripts": { "jobs": "tsx cli.ts" }\n}\n'
    expect(add(text)).toEqual({ text, conflicts: [], wanted: undefined })
  })

  it('records a conflict for a different jobs script, and replaces it with force', () => {
    const text = '{\n  "scripts": {\n    "jobs": "node mine.js"\n  },\n  "devDependencies": {\n    "tsx": "4"\n  }\n}\n'
    const refused = add(text)
    expect(refused.conflicts).toEqual(['package.json'])
    expect(refused.text).toBe(text)
    expect(refused.wanted).toContain('"jobs": "tsx cli.ts"')
    expect(add(text, true).text).toBe(text.replace('node mine.js', 'tsx cli.ts'))
  })
})
