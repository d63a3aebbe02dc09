/** Self time by package/file from a V8 .cpuprofile (diagnostic). */
import { readFileSync } from 'node:fs'
const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const self = new Map<string, number>()
const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]))
const dt = new Map<number, number>()
for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0))
let total = 0
for (const [id, us] of dt) {
  const node = byId.get(id)
  const url: string = node.callFrame.url || `(${node.callFrame.functionName || 'native'})`
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)
  const key = m ? m[1] : url.includes('/src/runtime/') ? 'jobs-kit runtime' : url.startsWith('node:') ? 'node internals' : url.replace(/^file:\/\/\/work\/main\//, '')
  self.set(key, (self.get(key) ?? 0) + us)
  total += us
}
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`)
