import { db } from '~/server/db'

/** Signs a user up (the tRPC `user.create` procedure calls this). */
export async function createUser(input: { email: string; name?: string }) {
  const user = await db.user.create({
    data: { email: input.email.toLowerCase(), name: input.name },
  })
  return user
}

/** Starts a CSV export of the user's posts; the dashboard polls its status. */
export async function startExport(userId: number) {
  return db.backgroundJob.create({ data: { kind: 'posts-csv', createdById: userId } })
}
