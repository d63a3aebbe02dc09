// Signs a user up from the command line: npm run create-user -- ada@example.com "Ada Lovelace"
const { db } = require('../src/lib/db')
const { createUser } = require('../src/services/users')

async function main() {
  const [email, name] = process.argv.slice(2)
  try {
    const user = await createUser({ email, name })
    console.log(JSON.stringify(user))
  } finally {
    await db.$disconnect()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
