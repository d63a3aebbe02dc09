/** `jobs-kit setup`: detect the app, plan every file on a staged tree. */
export { planSetup, type SetupOptions, type SetupPlan } from './plan-setup.js'
