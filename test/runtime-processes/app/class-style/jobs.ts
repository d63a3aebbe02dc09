/**
 * The seed's "Job Configuration" (`api/src/lib/jobs.js`), with only its
 * imports changed: an exported adapter, RedwoodJob.config, and a `jobs`
 * object of job instances. No JobManager: the runner reads the exported
 * `adapter` (and `logger`) and finds the jobs among `jobs`' classes.
 */
import { PrismaAdapter, RedwoodJob } from '../../../../src/runtime/index.js'
import { db } from '../db.js'
import { logger } from './logger.js'
import { SendWelcomeEmailJob } from './SendWelcomeEmailJob.js'

export { logger }

export const adapter = new PrismaAdapter({ db, logger })

RedwoodJob.config({ adapter, logger })

export const jobs = {
  sendWelcomeEmailJob: new SendWelcomeEmailJob(),
}
