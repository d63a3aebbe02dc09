import { defineProcessTests } from './define-process-tests.js'

defineProcessTests('postgresql', { contentionWorkers: 4, contentionJobs: 2000, contentionThroughPg: true })
