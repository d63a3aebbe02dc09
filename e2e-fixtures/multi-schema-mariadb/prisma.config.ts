import { defineConfig, env } from 'prisma/config'

// The schema is split by domain: every .prisma file in prisma/schema/ is part of it.
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: env('DATABASE_URL') },
})
