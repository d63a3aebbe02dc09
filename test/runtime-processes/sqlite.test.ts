import { defineProcessTests } from './define-process-tests.js'

defineProcessTests('sqlite', { contentionWorkers: 2, contentionJobs: 500, throughBetterSqlite3: true })
