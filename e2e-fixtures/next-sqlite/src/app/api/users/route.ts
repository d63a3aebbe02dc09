import { createUser } from '@/lib/users'

export async function POST(request: Request) {
  const body = (await request.json()) as { email?: string; name?: string }
  if (!body.email) return Response.json({ error: 'email is required' }, { status: 400 })
  const user = await createUser({ email: body.email, name: body.name })
  return Response.json(user, { status: 201 })
}
