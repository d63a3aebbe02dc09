// Creates a user from the command line, the way the sign-up route does:
//   npm run create-user -- ada@example.com "Ada Lovelace"
import { db } from '@/lib/db'
import { createUser } from '@/lib/users'

const [email, name] = process.argv.slice(2)
if (!email) {
  console.error('usage: create-user <email> [name]')
  process.exit(1)
}

try {
  const user = await createUser({ email, name })
  console.log(JSON.stringify(user))
} finally {
  await db.$disconnect()
}
