import { db } from '@/lib/db'

export interface SignUpInput {
  email: string
  name?: string
}

/** Creates a user from the sign-up form. */
export async function createUser(input: SignUpInput) {
  const user = await db.user.create({
    data: { email: input.email.toLowerCase(), name: input.name },
  })
  return user
}

export async function listUsers() {
  return db.user.findMany({ orderBy: { createdAt: 'desc' } })
}
