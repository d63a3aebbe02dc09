/** How a chaos run is judged and printed: the verdict, the detail of one run, and a table across databases. */
import type { ChaosReport } from './run-chaos.js'

/** True when every job ran, every extra run is explained, and no row is left, locked or not. */
export function chaosPassed(report: ChaosReport): boolean {
  return report.jobsNeverRun.length === 0 && report.unexplainedReruns.length === 0 && report.remainingRows === 0 && report.lockedRows === 0
}

/** The names users know the databases by (the harness's provider `mysql` is MariaDB here). */
export function databaseLabel(report: Pick<ChaosReport, 'provider'>): string {
  return report.provider === 'mysql' ? 'mariadb' : report.provider
}

/** A short human summary of one report. */
export function formatChaosReport(report: ChaosReport): string {
  const disruption = [
    report.disruption.kind,
    report.disruption.downMs !== undefined ? `back after ${report.disruption.downMs} ms` : '',
    report.disruption.terminatedConnections !== undefined ? `${report.disruption.terminatedConnections} connections terminated` : '',
    report.journalMode ? `journal mode ${report.journalMode}` : '',
  ].filter(Boolean)
  const lines = [
    `chaos on ${databaseLabel(report)}: ${report.jobs} jobs, ${report.workers} workers, ${(report.elapsedMs / 1000).toFixed(1)} s`,
    `  kills: ${report.kills} (restarted under the same name ${report.restartsSameName}, under a new name ${report.restartsNewName}); crashes: ${report.crashes}`,
    `  database: ${disruption.join(', ')}`,
    `  runs: ${report.runs}; jobs run once: ${report.jobsRunOnce}; never run: ${report.jobsNeverRun.length}`,
    `  extra runs: after a kill ${report.rerunsAfterKill} (during the job's work ${report.killedDuringWork}, after it but before the success was stored ${report.killedBeforeSuccessStored}), ` +
      `after a crash ${report.rerunsAfterCrash}, after a success that could not be recorded ${report.rerunsAfterLostSuccess}, after the job's own attempt failed ${report.rerunsAfterFailedAttempt}, unexplained ${report.unexplainedReruns.length}`,
    `  rows left: ${report.remainingRows} (locked ${report.lockedRows}, failed ${report.failedRows})`,
  ]
  for (const line of report.crashOutput.slice(0, 5)) lines.push(`  crash: ${line}`)
  for (const row of report.rowsLeft) lines.push(`  row left: ${JSON.stringify(row)}`)
  if (!chaosPassed(report)) for (const line of report.warnings) lines.push(`  logged: ${line}`)
  for (const rerun of report.unexplainedReruns.slice(0, 5)) {
    lines.push(`  unexplained: job ${rerun.jobId}: ${rerun.reason} (${rerun.runs.map((r) => `${r.worker} pid ${r.pid} at ${r.startedAtMs}`).join(', ')})`)
  }
  if (report.jobsNeverRun.length > 0) lines.push(`  never run: job ids ${report.jobsNeverRun.slice(0, 20).join(', ')}${report.jobsNeverRun.length > 20 ? ', …' : ''}`)
  return lines.join('\n')
}

/** One line per database: the figures the issue asks for, side by side. */
export function formatChaosTable(reports: ChaosReport[]): string {
  const header = ['database', 'jobs', 'runs', 'lost', 'extra runs', 'explained by a kill', 'by a crash / lost success', 'unexplained', 'kills', 'disruption', 'locked left', 'rows left', 'duration', 'result']
  const rows = reports.map((report) => [
    databaseLabel(report),
    String(report.jobs),
    String(report.runs),
    String(report.jobsNeverRun.length),
    String(report.runs - (report.jobs - report.jobsNeverRun.length)),
    String(report.rerunsAfterKill),
    `${report.rerunsAfterCrash} / ${report.rerunsAfterLostSuccess}`,
    String(report.unexplainedReruns.length),
    String(report.kills),
    report.disruption.kind === 'none' ? 'none' : `${report.disruption.kind}${report.disruption.terminatedConnections !== undefined ? ` (${report.disruption.terminatedConnections})` : ''}`,
    String(report.lockedRows),
    String(report.remainingRows),
    `${(report.elapsedMs / 1000).toFixed(1)} s`,
    chaosPassed(report) ? 'OK' : 'FAILED',
  ])
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)))
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}
