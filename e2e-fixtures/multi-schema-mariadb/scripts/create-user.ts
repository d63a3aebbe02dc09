// npm run create-user -- ada@example.com "Ada Lovelace"
import { prisma } from '../lib/prisma.js'
import { createUser } from '../services/users.js'

const [email, name] = process.argv.slice(2)
if (!email) throw new Error('usage: create-user <email> [name]')

try {
  const user = await createUser({ email, name })
  console.log(JSON.stringify(user))
} finally {
  await prisma.$disconnect()
}
