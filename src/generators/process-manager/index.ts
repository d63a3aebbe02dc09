/** `jobs-kit setup pm2|systemd`: process-manager files for the app's workers, planned on a staged tree. */
export { readRunnerInvocation, parseJobsScript, type RunnerInvocation } from './runner-invocation.js'
export { readWorkers } from './read-workers.js'
export { planPm2, ECOSYSTEM_PATH, type ProcessManagerPlan, type ProcessManagerPlanOptions } from './plan-pm2.js'
export { planSystemd, SYSTEMD_UNIT_PATH, instanceName, type SystemdPlanOptions } from './plan-systemd.js'
export { stopWindowSeconds, STOP_MARGIN_SECONDS } from './stop-window.js'
