/** The RabbitMQ adapter passes the adapter conformance suite against the real broker (127.0.0.1:5672). */
import { defineAdapterConformance } from './define-adapter-conformance.js'
import { rabbitmqTarget } from './targets/rabbitmq-target.js'

defineAdapterConformance({ name: 'RabbitMQAdapter on RabbitMQ', setup: () => rabbitmqTarget() })
