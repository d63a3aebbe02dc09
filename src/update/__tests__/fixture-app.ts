import { Volume, createFsFromVolume } from 'memfs'
import { commitTree } from '../../tree/commit-tree.js'
import { createStagedTree } from '../../tree/staged-tree.js'
import type { TreeFs } from '../../tree/tree-fs.js'
import { writeBaseSnapshot } from '../../app-record/base-store.js'
import type { RenderVendoredFiles } from '../inspect-vendored-files.js'
import type { JobsKitJson } from '../../app-record/jobs-kit-json.js'

export const ROOT = '/app'
export const RUNTIME = 'src/lib/jobs-kit'

/** A memfs volume with an app `setup` vendored `runtime` into at `version`, base store included. */
export function createFixtureApp(runtime: Map<string, string>, options: { version?: string; language?: 'ts' | 'js' } = {}) {
  const version = options.version ?? '0.1.0'
  const language = options.language ?? 'ts'
  const volume = new Volume()
  volume.mkdirSync(ROOT, { recursive: true })
  const fs = createFsFromVolume(volume) as unknown as TreeFs
  const tree = createStagedTree({ root: ROOT, fs })
  const files = inApp(runtime)
  for (const [path, content] of files) tree.write(path, content)
  const project: JobsKitJson = {
    version,
    language,
    moduleType: 'esm',
    provider: 'sqlite',
    paths: { srcRoot: 'src', config: `src/lib/jobs.${language}`, runtime: RUNTIME, jobs: 'src/jobs' },
    files: writeBaseSnapshot(tree, files, version),
  }
  tree.write('jobs-kit.json', `${JSON.stringify(project, null, 2)}\n`)
  tree.write(`src/lib/jobs.${language}`, "export const jobs = 'the app config'\n")
  commitTree(tree)
  return { volume, fs }
}

/** Runtime-relative paths → app-relative paths, as the vendored runtime sits in the app. */
export function inApp(runtime: Map<string, string>): Map<string, string> {
  return new Map([...runtime].map(([path, content]) => [`${RUNTIME}/${path}`, content]))
}

/** A renderer that returns `runtime` for every app (the "installed" jobs-kit in a test). */
export function renderOf(runtime: Map<string, string>): RenderVendoredFiles {
  return (project) => new Map([...runtime].map(([path, content]) => [`${project.paths.runtime}/${path}`, content]))
}

/** Reads an app file from the volume (null when missing). */
export function readApp(volume: InstanceType<typeof Volume>, path: string): string | null {
  const full = `${ROOT}/${path}`
  return volume.existsSync(full) ? String(volume.readFileSync(full, 'utf8')) : null
}

/** Writes an app file on the volume (as the user editing it would). */
export function writeApp(volume: InstanceType<typeof Volume>, path: string, content: string): void {
  volume.writeFileSync(`${ROOT}/${path}`, content)
}

/** The jobs-kit.json on the volume. */
export function readProject(volume: InstanceType<typeof Volume>): JobsKitJson {
  return JSON.parse(readApp(volume, 'jobs-kit.json')!) as JobsKitJson
}
