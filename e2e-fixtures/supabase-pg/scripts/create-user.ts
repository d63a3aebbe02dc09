// Creates an account from the command line, as the sign-up hook does:
//   npm run create-user -- ada@example.com "Ada Lovelace"
import { prisma } from '@/lib/prisma'
import { createUser } from '@/services/users'

const [email, name] = process.argv.slice(2)
if (!email) {
  console.error('usage: create-user <email> [name]')
  process.exit(1)
}

try {
  const user = await createUser({ email, name })
  console.log(JSON.stringify(user))
} finally {
  await prisma.$disconnect()
}
