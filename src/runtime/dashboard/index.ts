/** The jobs dashboard: `createDashboard({ jobs, basePath, authorize, readOnly, redact })`. See docs/dashboard.md in jobs-kit. */
export { createDashboard, type Dashboard, type DashboardOptions } from './create-dashboard.js'
export { DASHBOARD_TOKEN_ENV, type Authorize, type DashboardRequestInfo } from './authorize.js'
