import { jobs } from './jobs.js'

export const NightlyReportJob = jobs.createJob({ queue: 'reports', perform: async () => {} })
