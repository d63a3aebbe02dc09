import { createServer } from 'node:http'
import { createUser } from '@/services/users'

// The sign-up webhook Supabase Auth calls after a user confirms their email.
createServer(async (request, response) => {
  if (request.method !== 'POST' || request.url !== '/hooks/signup') {
    response.writeHead(404).end()
    return
  }
  let body = ''
  for await (const chunk of request) body += chunk
  const { record } = JSON.parse(body) as { record: { id: string; email: string } }
  const user = await createUser({ email: record.email, authId: record.id })
  response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(user))
}).listen(Number(process.env.PORT ?? 3000))
