/**
 * Orders two semver versions (`0.2.0`, `1.0.0-beta.1`): negative when `a` is
 * older, 0 when equal, positive when newer. Major, minor and patch compare as
 * numbers; a pre-release is older than its release; pre-release identifiers
 * compare numerically when both are numbers, else as text. Build metadata is
 * ignored.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA, preA] = split(a)
  const [coreB, preB] = split(b)
  for (let index = 0; index < 3; index++) {
    const difference = (coreA[index] ?? 0) - (coreB[index] ?? 0)
    if (difference !== 0) return Math.sign(difference)
  }
  if (preA.length === 0 || preB.length === 0) return preA.length === 0 ? (preB.length === 0 ? 0 : 1) : -1
  for (let index = 0; index < Math.max(preA.length, preB.length); index++) {
    const x = preA[index]
    const y = preB[index]
    if (x === undefined) return -1
    if (y === undefined) return 1
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y)
    const difference = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0
    if (difference !== 0) return Math.sign(difference)
  }
  return 0
}

function split(version: string): [number[], string[]] {
  const [withoutBuild] = version.trim().replace(/^v/, '').split('+')
  const dash = withoutBuild!.indexOf('-')
  const core = dash === -1 ? withoutBuild! : withoutBuild!.slice(0, dash)
  const pre = dash === -1 ? [] : withoutBuild!.slice(dash + 1).split('.')
  return [core.split('.').map((part) => Number.parseInt(part, 10) || 0), pre]
}
