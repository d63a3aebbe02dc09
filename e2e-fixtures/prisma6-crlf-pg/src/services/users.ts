import { prisma } from '../lib/prisma'

export async function createUser(input: { email: string; name?: string }) {
  const user = await prisma.user.create({ data: { email: input.email, name: input.name } })
  return user
}

export async function upgrade(userId: number) {
  return prisma.user.update({ where: { id: userId }, data: { plan: 'PRO' } })
}
