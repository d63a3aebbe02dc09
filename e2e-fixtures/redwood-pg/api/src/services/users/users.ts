import { db } from 'src/lib/db'

export interface CreateUserInput {
  email: string
  name?: string | null
}

export const users = () => {
  return db.user.findMany()
}

export const user = ({ id }: { id: number }) => {
  return db.user.findUnique({ where: { id } })
}

export const createUser = async ({ input }: { input: CreateUserInput }) => {
  const user = await db.user.create({
    data: input,
  })
  return user
}

export const deleteUser = ({ id }: { id: number }) => {
  return db.user.delete({ where: { id } })
}
