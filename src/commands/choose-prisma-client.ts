import type { PrismaClientModule } from '../project/find-prisma-client.js'
import type { ProjectInfo } from '../project/detect-project.js'
import { CancelledError } from './errors.js'

/**
 * A `chooseDb` for setup that asks once, on a terminal, which module exports
 * the client the jobs config should import; a second plan (after "overwrite
 * conflicts?") gets the same answer without asking again.
 */
export function promptForPrismaClient(): (candidates: PrismaClientModule[]) => Promise<PrismaClientModule> {
  let chosen: PrismaClientModule | undefined
  return async (candidates) => {
    if (chosen) return chosen
    const { select, isCancel } = await import('@clack/prompts')
    const answer = await select({
      message: 'Which module exports the Prisma client the jobs should use?',
      options: candidates.map((candidate) => ({ value: candidate, label: candidate.path, hint: exportLabel(candidate) })),
    })
    if (isCancel(answer)) throw new CancelledError()
    chosen = answer
    return answer
  }
}

/** "`db` of src/lib/db.ts", plus which others were found when there was a choice, for the "Detected …" line. */
export function describePrismaClient(project: Pick<ProjectInfo, 'db' | 'dbCandidates'>): string {
  const { db, dbCandidates } = project
  const described = `${exportLabel(db)} of ${db.path}`
  if (dbCandidates.length < 2) return described
  const others = dbCandidates.filter((candidate) => candidate.path !== db.path).map((candidate) => candidate.path)
  const which = dbCandidates[0]?.path === db.path ? 'the first' : 'chosen'
  return `${described} (${which} of ${dbCandidates.length} found: also ${others.join(', ')}; pass --db <file>#<export> to use another)`
}

function exportLabel(module: PrismaClientModule): string {
  return module.exportName === 'default' ? 'default export' : `\`${module.exportName}\``
}

/**
 * A `chooseSqliteWal` for setup: asks once, on a terminal, whether the SQLite
 * database should use WAL; a second plan gets the same answer.
 */
export function promptForSqliteWal(): () => Promise<boolean> {
  let chosen: boolean | undefined
  return async () => {
    if (chosen !== undefined) return chosen
    const { confirm, isCancel } = await import('@clack/prompts')
    const answer = await confirm({
      message:
        'Switch the SQLite database to WAL journal mode? Reads stop waiting for writes and commits get cheaper; ' +
        'the database then keeps -wal and -shm files beside it and must not be on a network drive. (--sqlite-wal / --no-sqlite-wal)',
      initialValue: true,
    })
    if (isCancel(answer)) throw new CancelledError()
    chosen = answer
    return answer
  }
}
