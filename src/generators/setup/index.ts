/** `jobs-kit setup`: detect the app, plan every file on a staged tree. */
export { planSetup, type SetupOptions, type SetupPlan } from './plan-setup.js'
export { formatJobsKitJson, importStyleOf, JOBS_KIT_JSON_PATH, type JobsKitJson } from '../../app-record/jobs-kit-json.js'
export { hashContent, type VendoredFile } from './vendor-runtime.js'
