// Signs a user up from the command line:
//   npm run create-user -- ada@example.com "Ada Lovelace"
import { db } from '~/server/db'
import { createUser } from '~/server/api/users'

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
