import { listUsers } from '@/lib/users'

export const dynamic = 'force-dynamic'

export default async function UsersPage() {
  const users = await listUsers()
  return (
    <ul>
      {users.map((user) => (
        <li key={user.id}>
          {user.email} {user.welcomedAt ? '(welcomed)' : ''}
        </li>
      ))}
    </ul>
  )
}
