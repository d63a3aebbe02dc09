import { db } from '../db'

export interface RegisterInput {
  email: string
  name?: string
}

export async function createUser(input: RegisterInput) {
  const user = await db.user.create({ data: { email: input.email, name: input.name } })
  return user
}

export async function getUser(id: number) {
  return db.user.findUnique({ where: { id } })
}
