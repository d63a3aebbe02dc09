import { Volume, createFsFromVolume } from 'memfs'
import { describe, expect, it } from 'vitest'
import { vendorRuntime } from '../generators/setup/vendor-runtime.js'
import { commitTree } from '../tree/commit-tree.js'
import { createStagedTree } from '../tree/staged-tree.js'
import type { TreeFs } from '../tree/tree-fs.js'
import { diffVendoredFiles } from './diff-vendored-files.js'
import type { JobsKitJson } from '../app-record/jobs-kit-json.js'
import { renderInstalledRuntime } from './render-installed-runtime.js'

function project(language: 'ts' | 'js', moduleType: 'esm' | 'cjs', importExtension: '.js' | ''): JobsKitJson {
  return {
    version: '0.1.0',
    language,
    moduleType,
    importExtension,
    paths: { srcRoot: 'src', config: `src/lib/jobs.${language}`, runtime: 'src/lib/jobs-kit' },
    files: {},
  }
}

describe('renderInstalledRuntime', () => {
  it.each([
    ['ts', 'esm', '.js'],
    ['ts', 'esm', ''],
    ['js', 'esm', '.js'],
    ['js', 'cjs', '.js'],
  ] as const)('renders the installed runtime (%s, %s, import extension "%s") exactly as setup vendors it', async (language, moduleType, importExtension) => {
    const app = project(language, moduleType, importExtension)
    const volume = new Volume()
    volume.mkdirSync('/app', { recursive: true })
    const fs = createFsFromVolume(volume) as unknown as TreeFs
    const tree = createStagedTree({ root: '/app', fs })
    const files = vendorRuntime(tree, app.paths.runtime, {
      language, moduleType, importStyle: importExtension === '' ? 'extensionless' : 'with-extension', version: '0.1.0', force: false,
    })
    tree.write('jobs-kit.json', JSON.stringify({ ...app, files }))
    commitTree(tree)

    const rendered = await renderInstalledRuntime(app)
    expect([...rendered.keys()].sort()).toEqual(Object.keys(files).sort())
    // Code files come out in the app's language; docs (the runtime's README.md) are copied as they are.
    expect([...rendered.keys()].every((path) => path.startsWith('src/lib/jobs-kit/') && (path.endsWith(`.${language}`) || path.endsWith('.md')))).toBe(true)

    // A freshly set-up app, even without a base store, has nothing to update.
    const diffs = await diffVendoredFiles(createStagedTree({ root: '/app', fs }), { render: renderInstalledRuntime, version: '0.1.0' })
    expect(diffs.length).toBeGreaterThan(5)
    expect(diffs.filter((diff) => diff.state !== 'unchanged')).toEqual([])
  })
})
