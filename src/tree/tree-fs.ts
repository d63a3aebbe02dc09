import * as nodeFs from 'node:fs'

/**
 * The few synchronous calls the staged tree and `commitTree` make. `node:fs`
 * fits, and so does a memfs `Volume` (or `createFsFromVolume(vol)`), which is
 * how unit tests run generators without touching the disk.
 */
export interface TreeFs {
  readFileSync(path: string, encoding: 'utf8'): string | Buffer
  writeFileSync(path: string, content: string): void
  existsSync(path: string): boolean
  statSync(path: string): { isFile(): boolean; isDirectory(): boolean; mode?: number }
  readdirSync(path: string): unknown[]
  mkdirSync(path: string): unknown
  unlinkSync(path: string): void
  rmdirSync(path: string): void
  renameSync(from: string, to: string): void
  chmodSync?(path: string, mode: number): void
  lstatSync?(path: string): { isSymbolicLink(): boolean }
}

/** The real file system, used when no `fs` is injected. */
export const defaultTreeFs: TreeFs = nodeFs as unknown as TreeFs
