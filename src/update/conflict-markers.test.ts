import { describe, expect, it } from 'vitest'
import { hasConflictMarkers } from './conflict-markers.js'

describe('hasConflictMarkers', () => {
  it('finds a whole conflict, and either marker left alone', () => {
    expect(hasConflictMarkers('a\n<<<<<<< local\nb\n=======\nc\n>>>>>>> jobs-kit 0.2.0\nd\n')).toBe(true)
    expect(hasConflictMarkers('a\nb\n=======\nc\n>>>>>>> jobs-kit 0.2.0\n')).toBe(true)
    expect(hasConflictMarkers('<<<<<<<\r\nb\r\n')).toBe(true)
  })

  it('ignores markers that are not at the start of a line, and a lone =======', () => {
    expect(hasConflictMarkers("const arrow = '<<<<<<< not a marker'\n// >>>>>>> neither\n")).toBe(false)
    expect(hasConflictMarkers('Title\n=======\n')).toBe(false)
    expect(hasConflictMarkers('<<<<<<<<< eight\n')).toBe(false)
  })
})
