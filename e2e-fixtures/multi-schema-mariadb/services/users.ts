import { prisma } from '../lib/prisma.js'

export interface NewCustomer {
  email: string
  name?: string
}

/** Creates a customer account; billing starts with their first invoice. */
export async function createUser(input: NewCustomer) {
  const user = await prisma.user.create({
    data: { email: input.email, name: input.name ?? null },
  })
  return user
}

/** Opens a draft invoice for a customer. */
export async function draftInvoice(userId: number, amountCents: number) {
  return prisma.invoice.create({ data: { userId, amountCents } })
}
