const { db } = require('../lib/db')

class ValidationError extends Error {}

/**
 * Signs a user up.
 * @param {{ email: string, name?: string }} input
 */
async function createUser(input) {
  if (!input.email || !input.email.includes('@')) throw new ValidationError('A valid email is required')
  const user = await db.user.create({
    data: { email: input.email.toLowerCase(), name: input.name },
  })
  return user
}

async function findUser(id) {
  return db.user.findUnique({ where: { id } })
}

module.exports = { createUser, findUser, ValidationError }
