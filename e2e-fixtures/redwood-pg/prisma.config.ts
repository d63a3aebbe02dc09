import { defineConfig, env } from 'prisma/config'

// Redwood keeps its schema on the api side.
export default defineConfig({
  schema: 'api/db/schema.prisma',
  migrations: {
    path: 'api/db/migrations',
    seed: 'yarn rw exec seed',
  },
  datasource: {
    url: env('DATABASE_URL'),
  },
})
