// Creates a user through the api side's service, like the createUser mutation does.
// In a Redwood app: `yarn rw exec create-user --email ada@example.com`.
// Here: `npm run create-user -- ada@example.com "Ada Lovelace"`.
import { db } from 'src/lib/db'
import { createUser } from 'src/services/users/users'

async function main() {
  const [email, name] = process.argv.slice(2)
  if (!email) throw new Error('usage: create-user <email> [name]')
  try {
    const user = await createUser({ input: { email, name } })
    console.log(JSON.stringify(user))
  } finally {
    await db.$disconnect()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
