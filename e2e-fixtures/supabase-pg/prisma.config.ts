import { defineConfig, env } from 'prisma/config'

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    path: 'prisma/migrations',
  },
  datasource: {
    // Supabase: the pooled connection for the app, the direct one for migrations.
    url: env('DATABASE_URL'),
  },
})
