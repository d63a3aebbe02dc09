import { RedwoodJob } from '../../../../src/runtime/index.js'
import { record } from '../record.js'

/** A class-style job as the seed writes them (`api/src/jobs/SendWelcomeEmailJob`). */
export class SendWelcomeEmailJob extends RedwoodJob {
  static queue = 'email'

  async perform(userId: number) {
    this.logger.info(`SendWelcomeEmailJob: emailing user ${userId}`)
    record('done', `welcome-${userId}`)
  }
}
