import { jobs } from './jobs.js'

export const CleanupJob = jobs.createJob({ queue: 'default', perform: async (hours: number) => void hours })
