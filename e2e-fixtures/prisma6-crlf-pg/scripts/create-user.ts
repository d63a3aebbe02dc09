// npm run create-user -- ada@example.com "Ada Lovelace"
import { prisma } from '../src/lib/prisma'
import { createUser } from '../src/services/users'

async function main() {
  const [email, name] = process.argv.slice(2)
  if (!email) throw new Error('usage: create-user <email> [name]')
  try {
    const user = await createUser({ email, name })
    console.log(JSON.stringify(user))
  } finally {
    await prisma.$disconnect()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
