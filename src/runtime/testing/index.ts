/**
 * Helpers for testing jobs, vendored with the runtime (Node built-ins only,
 * no test framework: they work under Vitest, Jest or `node:test`).
 */
export { defineScenarios, InvalidScenarioError } from './define-scenarios.js'
export { captureLogs, type CapturedLog, type LogCapture, type LogLevel } from './capture-logs.js'
export {
  clearScheduled,
  expectNotScheduled,
  expectScheduled,
  runScheduled,
  scheduledJobs,
  ScheduledJobAssertionError,
  type RecordedJob,
  type RunScheduledOptions,
  type ScheduledMatch,
  type ScheduledRun,
} from './scheduled.js'
export { MemoryAdapter } from './memory-adapter.js'
