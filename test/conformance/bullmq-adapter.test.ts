/** The BullMQ adapter passes the adapter conformance suite against the real Redis. */
import { defineAdapterConformance } from './define-adapter-conformance.js'
import { bullmqTarget } from './targets/bullmq-target.js'

defineAdapterConformance({ name: 'BullMQAdapter on Redis', setup: () => bullmqTarget() })
