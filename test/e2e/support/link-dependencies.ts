/**
 * Gives an app copy a `node_modules` without a network install: every package
 * the app declares is symlinked from the repository's own `node_modules`
 * (npm aliases included, so `"prisma": "~6.19.0"` finds `node_modules/prisma6`),
 * then the packages those depend on are hoisted the way npm would, because
 * generated code outside `node_modules` (Prisma's client) requires them by name.
 *
 * A declared package the root does not provide in a matching version is an
 * error naming it, unless the fixture lists it as `unlinked` (a package its
 * tests never load, like `next`). Packages listed as `copied` are hard-linked
 * copies instead of symlinks: Prisma 6 writes the generated client next to
 * `@prisma/client` (`node_modules/.prisma/client`), which must stay inside the
 * app copy, never in the repository's `node_modules`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

export interface LinkOptions {
  /** The `node_modules` folder packages come from. */
  rootModules: string
  /** Declared packages the tests never load; left out. */
  unlinked?: readonly string[]
  /** Declared packages copied (hard links) rather than symlinked. */
  copied?: readonly string[]
}

interface InstalledPackage {
  dir: string
  name: string
  version: string
}

interface PackageJson {
  name?: string
  version?: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  workspaces?: string[] | { packages?: string[] }
  bin?: string | Record<string, string>
}

function readPackageJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson
}

/** Every top-level package in `rootModules`, by its real name (an alias folder lists under the package it holds). */
function indexInstalledPackages(rootModules: string): Map<string, InstalledPackage[]> {
  const index = new Map<string, InstalledPackage[]>()
  const add = (dir: string) => {
    const file = join(dir, 'package.json')
    if (!existsSync(file)) return
    const pkg = readPackageJson(file)
    if (!pkg.name || !pkg.version) return
    const list = index.get(pkg.name) ?? []
    list.push({ dir, name: pkg.name, version: pkg.version })
    index.set(pkg.name, list)
  }
  for (const entry of readdirSync(rootModules)) {
    if (entry.startsWith('.')) continue
    if (entry.startsWith('@')) {
      for (const scoped of readdirSync(join(rootModules, entry))) add(join(rootModules, entry, scoped))
    } else {
      add(join(rootModules, entry))
    }
  }
  // Prefer the folder named after the package over an alias of the same package.
  for (const [name, list] of index) list.sort((a, b) => Number(b.dir.endsWith(`/${name}`)) - Number(a.dir.endsWith(`/${name}`)))
  return index
}

/**
 * Enough of npm's range syntax for our fixtures: `*`, `x.y.z`, `^x.y.z`,
 * `~x.y.z`, `x.y`, `x.y.x`, `x`, `>=x.y.z`, and `a || b`.
 */
export function satisfies(version: string, range: string): boolean {
  const [major, minor, patch] = version.split('-')[0]!.split('.').map(Number) as [number, number, number]
  return range.split('||').some((alternative) => {
    const part = alternative.trim()
    if (part === '*' || part === '' || part === 'latest') return true
    const match = /^(\^|~|>=)?\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(part)
    if (!match) return false
    const [, operator, majorText, minorText, patchText] = match
    const wantMajor = Number(majorText)
    const wantMinor = minorText === undefined || minorText === 'x' || minorText === '*' ? undefined : Number(minorText)
    const wantPatch = patchText === undefined || patchText === 'x' || patchText === '*' ? undefined : Number(patchText)
    const compare = (major - wantMajor) || (minor - (wantMinor ?? 0)) || (patch - (wantPatch ?? 0))
    if (operator === '>=') return compare >= 0
    if (operator === '^') {
      if (major !== wantMajor) return false
      if (wantMajor === 0 && wantMinor !== undefined && minor !== wantMinor) return false
      return compare >= 0
    }
    if (operator === '~') return major === wantMajor && (wantMinor === undefined || minor === wantMinor) && compare >= 0
    return major === wantMajor && (wantMinor === undefined || minor === wantMinor) && (wantPatch === undefined || patch === wantPatch)
  })
}

/** The declared dependencies of the app and of its workspaces. */
function declaredDependencies(appDir: string): Map<string, { range: string; declaredIn: string }> {
  const declared = new Map<string, { range: string; declaredIn: string }>()
  const root = readPackageJson(join(appDir, 'package.json'))
  const workspaces = Array.isArray(root.workspaces) ? root.workspaces : (root.workspaces?.packages ?? [])
  const files = ['package.json', ...workspaces.map((workspace) => join(workspace, 'package.json'))]
  for (const file of files) {
    if (!existsSync(join(appDir, file))) continue
    const pkg = readPackageJson(join(appDir, file))
    for (const deps of [pkg.dependencies, pkg.devDependencies]) {
      for (const [name, range] of Object.entries(deps ?? {})) if (!declared.has(name)) declared.set(name, { range, declaredIn: file })
    }
  }
  return declared
}

function linkPackage(source: string, target: string, copy: boolean): void {
  mkdirSync(dirname(target), { recursive: true })
  if (!copy) {
    symlinkSync(source, target, 'dir')
    return
  }
  // Hard links are instant on one file system; fall back to a plain copy across devices.
  const linked = spawnSync('cp', ['-al', realpathSync(source), target])
  if (linked.status !== 0) {
    const copied = spawnSync('cp', ['-a', realpathSync(source), target])
    if (copied.status !== 0) throw new Error(`Could not copy ${source} to ${target}: ${copied.stderr}`)
  }
}

function linkBins(modules: string, name: string, pkg: PackageJson): void {
  const bins = typeof pkg.bin === 'string' ? { [name.split('/').pop()!]: pkg.bin } : (pkg.bin ?? {})
  const binDir = join(modules, '.bin')
  for (const [binName, binPath] of Object.entries(bins)) {
    mkdirSync(binDir, { recursive: true })
    const target = join(binDir, binName)
    if (existsSync(target)) continue
    symlinkSync(relative(binDir, join(modules, name, binPath)), target)
  }
}

/** Builds `<appDir>/node_modules`; see the file comment. Returns the package names linked. */
export function linkDependencies(appDir: string, options: LinkOptions): string[] {
  const index = indexInstalledPackages(options.rootModules)
  const modules = join(appDir, 'node_modules')
  mkdirSync(modules, { recursive: true })
  const linked = new Map<string, InstalledPackage>()
  const problems: string[] = []

  for (const [name, { range, declaredIn }] of declaredDependencies(appDir)) {
    if (options.unlinked?.includes(name)) continue
    const candidates = index.get(name) ?? []
    const match = candidates.find((candidate) => satisfies(candidate.version, range))
    if (!match) {
      const found = candidates.map((candidate) => `${candidate.version} in ${relative(options.rootModules, candidate.dir)}`).join(', ')
      problems.push(`${name}@${range} (${declaredIn}); the root has ${found || 'no version of it'}`)
      continue
    }
    linkPackage(match.dir, join(modules, name), options.copied?.includes(name) ?? false)
    linked.set(name, match)
  }
  if (problems.length > 0) {
    throw new Error(
      `${appDir}: these dependencies are not installed at the repository root in a matching version:\n  ${problems.join('\n  ')}\n` +
        'Add them to the root devDependencies (an npm alias works: "prisma6": "npm:prisma@~6.19.0"), ' +
        "or list them in the fixture's `unlinked` packages if its tests never load them.",
    )
  }

  // Hoist what the linked packages depend on, as npm does, unless the package nests its own copy.
  const queue = [...linked.values()]
  while (queue.length > 0) {
    const parent = queue.shift()!
    const pkg = readPackageJson(join(parent.dir, 'package.json'))
    for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      if (linked.has(name) || existsSync(join(parent.dir, 'node_modules', name))) continue
      const match = (index.get(name) ?? []).find((candidate) => candidate.dir.endsWith(`/${name}`) && satisfies(candidate.version, range))
      if (!match) continue
      linkPackage(match.dir, join(modules, name), false)
      linked.set(name, match)
      queue.push(match)
    }
  }

  for (const name of declaredDependencies(appDir).keys()) {
    const entry = linked.get(name)
    if (entry) linkBins(modules, name, readPackageJson(join(entry.dir, 'package.json')))
  }
  return [...linked.keys()]
}
