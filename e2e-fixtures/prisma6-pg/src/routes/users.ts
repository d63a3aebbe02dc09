import type { FastifyInstance } from 'fastify'
import { createUser, getUser } from '../services/users'

export async function userRoutes(app: FastifyInstance) {
  app.post<{ Body: { email: string; name?: string } }>('/users', async (request, reply) => {
    const user = await createUser(request.body)
    return reply.code(201).send(user)
  })

  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    const user = await getUser(Number(request.params.id))
    return user ?? reply.code(404).send()
  })
}
