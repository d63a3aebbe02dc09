import { afterEach, describe, expect, it } from 'vitest'
import { countByKey, createProcessTestApp, waitUntil, type ProcessTestApp } from './support.js'

const provider = (process.env.ATK_PROVIDER ?? 'postgresql') as 'postgresql' | 'mysql'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe(`adhoc ${provider}`, () => {
  let app: ProcessTestApp | undefined
  afterEach(async () => { await app?.cleanup() })
  it('3 separate workers, * * * * * * for 20 s, one SIGKILLed and restarted', async () => {
    app = await createProcessTestApp(provider, { sleepDelaySeconds: 0.05 })
    const env = { RECURRING_CRON: '* * * * * *' }
    const start = (id: number) => app!.runner(['--id', String(id), '--queue', '*', '--logger', 'warn'], { env })
    const workers = [start(0), start(1), start(2)]
    await waitUntil('first slot', () => app!.events().length >= 1, 30_000)
    await sleep(7000)
    workers[1]!.child.kill('SIGKILL')
    await workers[1]!.exited()
    await sleep(4000)
    workers[1] = start(1)
    await sleep(9000)
    for (const w of workers) w.child.kill('SIGINT')
    for (const w of workers) console.log('exit', await w.exited(30_000))
    const slots = countByKey(app.events(), 'done')
    const times = [...slots.keys()].map((k) => Date.parse(k.slice(5))).sort((a, b) => a - b)
    const dup = [...slots.entries()].filter(([, c]) => c !== 1)
    const gaps: string[] = []
    for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! !== 1000) gaps.push(`${new Date(times[i - 1]!).toISOString()} -> ${new Date(times[i]!).toISOString()}`)
    const rows = await app.rows()
    console.log({ n: times.length, dup, gaps, leftRows: rows.length, first: new Date(times[0]!).toISOString(), last: new Date(times.at(-1)!).toISOString() })
    for (const w of workers) console.log(w.output().slice(0, 2000))
    expect(dup).toEqual([])
    expect(gaps).toEqual([])
  }, 120_000)
})

describe(`adhoc pause ${provider}`, () => {
  let app: ProcessTestApp | undefined
  afterEach(async () => { await app?.cleanup() })
  it('pause / resume / run while workers run', async () => {
    app = await createProcessTestApp(provider, { sleepDelaySeconds: 0.05 })
    const env = { RECURRING_CRON: '* * * * * *' }
    const workers = [0, 1].map((id) => app!.runner(['--id', String(id), '--queue', '*', '--logger', 'warn'], { env }))
    await waitUntil('first slot', () => app!.events().length >= 1, 30_000)
    await sleep(3000)
    const pause = app.runner(['schedules', 'pause', 'slots'], { env })
    console.log('pause', await pause.exited(), pause.output())
    const pausedAt = Date.now()
    await sleep(4000)
    const status = app.runner(['status'], { env })
    console.log('status', await status.exited(), status.output())
    const resume = app.runner(['schedules', 'resume', 'slots'], { env })
    console.log('resume', await resume.exited(), resume.output())
    const resumedAt = Date.now()
    const r1 = app.runner(['schedules', 'run', 'slots'], { env })
    const r2 = app.runner(['schedules', 'run', 'slots'], { env })
    console.log('run', await r1.exited(), r1.output(), await r2.exited(), r2.output())
    await sleep(3000)
    for (const w of workers) w.child.kill('SIGINT')
    for (const w of workers) await w.exited(30_000)
    const slots = countByKey(app.events(), 'done')
    const keys = [...slots.keys()].sort()
    console.log({ pausedAt: new Date(pausedAt).toISOString(), resumedAt: new Date(resumedAt).toISOString(), keys, counts: [...slots.values()] })
    for (const w of workers) console.log(w.output().slice(0, 2000))
  }, 120_000)
})
