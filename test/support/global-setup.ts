/**
 * Vitest global setup: runs once before every suite.
 *
 * Generates the Prisma clients the runtime's integration tests use (see
 * prisma-clients.ts; unchanged schemas are not regenerated) and removes test
 * databases that killed runs left behind (see databases.ts). Gives the run a
 * folder for the packed, installed jobs-kit that the end-to-end tests build
 * on first use (packed-cli.ts), and deletes it at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { dropStaleTestDatabases } from './databases.js'
import { generateTestClients } from './prisma-clients.js'

export default async function setup(project: TestProject): Promise<() => void> {
  const packedCliRoot = mkdtempSync(join(tmpdir(), 'jobs-kit-packed-'))
  project.provide('packedCliRoot', packedCliRoot)
  await Promise.all([generateTestClients(), dropStaleTestDatabases()])
  return () => rmSync(packedCliRoot, { recursive: true, force: true })
}
