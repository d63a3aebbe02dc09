import { defineProcessTests } from './define-process-tests.js'

defineProcessTests('mysql', { contentionWorkers: 4, contentionJobs: 2000 })
