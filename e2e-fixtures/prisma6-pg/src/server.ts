import Fastify from 'fastify'
import { db } from './db'
import { userRoutes } from './routes/users'

const app = Fastify({ logger: true })
app.register(userRoutes)
app.addHook('onClose', async () => db.$disconnect())

app.listen({ port: Number(process.env.PORT ?? 3000) }).catch((error) => {
  app.log.error(error)
  process.exit(1)
})
