import { describe, expect, it } from 'vitest'
import { appTree } from './__tests__/app-tree.js'
import { detectSourceRoot } from './detect-source-root.js'

describe('detectSourceRoot', () => {
  it('is api/src for a RedwoodJS app (redwood.toml)', () => {
    expect(detectSourceRoot(appTree({ 'redwood.toml': '', 'api/src/functions/graphql.ts': '' }).tree)).toEqual({ srcRoot: 'api/src', redwood: true })
  })

  it('is api/src for a RedwoodJS-shaped app without redwood.toml (api/db/schema.prisma and api/src)', () => {
    expect(detectSourceRoot(appTree({ 'api/db/schema.prisma': '', 'api/src/lib/db.ts': '' }).tree).srcRoot).toBe('api/src')
  })

  it('is src when src/ exists', () => {
    expect(detectSourceRoot(appTree({ 'src/index.ts': '' }).tree)).toEqual({ srcRoot: 'src', redwood: false })
  })

  it('is the app root otherwise', () => {
    expect(detectSourceRoot(appTree({ 'index.js': '' }).tree)).toEqual({ srcRoot: '.', redwood: false })
  })

  it('does not take a file named src for a folder', () => {
    expect(detectSourceRoot(appTree({ src: 'not a folder' }).tree).srcRoot).toBe('.')
  })
})
