import { prisma } from '@/lib/prisma'

/** Creates the account row for someone who just signed up with Supabase Auth. */
export async function createUser(input: { email: string; name?: string; authId?: string }) {
  const user = await prisma.user.create({
    data: { email: input.email.toLowerCase(), name: input.name, authId: input.authId },
  })
  return user
}

export async function notesOf(userId: number) {
  return prisma.note.findMany({ where: { authorId: userId }, orderBy: { createdAt: 'desc' } })
}
