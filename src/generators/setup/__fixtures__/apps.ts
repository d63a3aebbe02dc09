/**
 * Small apps, as `path → content`, for setup's memfs tests: the four layouts
 * the scaffolder must handle. Each has just what detection reads.
 */

const schema = (provider: string, output?: string) => `generator client {
  provider = "prisma-client"${output ? `\n  output   = "${output}"` : ''}
}

datasource db {
  provider = "${provider}"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
`

/** TypeScript, ESM, `src/`, `@/*` alias (with JSONC comments), NodeNext resolution, pnpm. */
export const tsEsmApp: Record<string, string> = {
  'package.json': `{
  "name": "ts-esm-app",
  "version": "1.0.0",
  "type": "module",
  "scripts": {
    "dev": "tsx watch src/server.ts"
  },
  "dependencies": {
    "@prisma/client": "^7.0.0"
  },
  "devDependencies": {
    "prisma": "^7.0.0",
    "typescript": "^5.9.0"
  }
}
`,
  'pnpm-lock.yaml': 'lockfileVersion: 9.0\n',
  'tsconfig.json': `{
  // Node's own ESM resolution: relative imports need .js
  "compilerOptions": {
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "paths": { "@/*": ["./src/*"], },
  },
}
`,
  'prisma/schema.prisma': schema('postgresql', '../src/generated/prisma'),
  'src/server.ts': "import { db } from './lib/db.js'\n",
  'src/lib/db.ts': `import { PrismaClient } from '../generated/prisma/client.js'
import { PrismaPg } from '@prisma/adapter-pg'

export const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) })
`,
  '.gitignore': 'node_modules\n',
}

/** JavaScript, CommonJS, code at the root, npm, client exported as `prisma` from `db.js`. */
export const jsCjsApp: Record<string, string> = {
  'package.json': `{
    "name": "js-cjs-app",
    "main": "index.js",
    "dependencies": {
        "@prisma/client": "^6.19.0",
        "express": "^5.0.0"
    }
}
`,
  'package-lock.json': '{}\n',
  'prisma/schema.prisma': schema('sqlite'),
  'index.js': "const { prisma } = require('./db')\n",
  'db.js': `const { PrismaClient } = require('@prisma/client')

const prisma = new PrismaClient()

module.exports = { prisma }
`,
}

/** RedwoodJS: `api/src`, `api/db/schema.prisma`, `api/src/lib/db.ts`, `src/*` alias in api/tsconfig.json, yarn. */
export const redwoodApp: Record<string, string> = {
  'redwood.toml': '[web]\n  port = 8910\n[api]\n  port = 8911\n',
  'package.json': `{
  "private": true,
  "workspaces": { "packages": ["api", "web"] },
  "devDependencies": { "@redwoodjs/core": "8.4.0" },
  "packageManager": "yarn@4.6.0"
}
`,
  'yarn.lock': '# yarn lockfile v1\n',
  'api/package.json': '{ "name": "api", "dependencies": { "@redwoodjs/api": "8.4.0" } }\n',
  'api/tsconfig.json': `{
  "compilerOptions": {
    "noEmit": true,
    "target": "ES2023",
    "module": "node16",
    "moduleResolution": "node",
    "baseUrl": "./",
    "rootDirs": ["./src", "../.redwood/types/mirror/api/src"],
    "paths": {
      "src/*": ["./src/*", "../.redwood/types/mirror/api/src/*"],
      "types/*": ["./types/*", "../types/*"],
      "@redwoodjs/testing": ["../node_modules/@redwoodjs/testing/api"]
    },
  },
  "include": ["src", "../.redwood/types/includes/all-*", "../.redwood/types/includes/api-*", "../types"]
}
`,
  'api/db/schema.prisma': schema('sqlite').replace('provider = "prisma-client"', 'provider      = "prisma-client-js"\n  binaryTargets = "native"'),
  'api/src/lib/db.ts': `// See https://redwoodjs.com/docs/connection-pooling
import { PrismaClient } from '@prisma/client'

import { emitLogLevels, handlePrismaLogging } from '@redwoodjs/api/logger'

import { logger } from './logger'

/*
 * Instance of the Prisma Client
 */
export const db = new PrismaClient({
  log: emitLogLevels(['info', 'warn', 'error']),
})

handlePrismaLogging({ db, logger, logLevels: ['info', 'warn', 'error'] })
`,
  'api/src/lib/logger.ts': "import { createLogger } from '@redwoodjs/api/logger'\n\nexport const logger = createLogger({})\n",
  'api/src/functions/graphql.ts': "import { db } from 'src/lib/db'\n",
  'web/src/App.tsx': 'export default function App() { return null }\n',
}

/** JavaScript, ESM (`"type": "module"`), `src/`, client as a default export of `src/db.js`, bun. */
export const jsEsmApp: Record<string, string> = {
  'package.json': `{
\t"name": "js-esm-app",
\t"type": "module",
\t"dependencies": {
\t\t"@prisma/client": "^6.19.0"
\t}
}
`,
  'bun.lock': '{}\n',
  'prisma/schema.prisma': schema('mysql'),
  'src/index.js': "import prisma from './db.js'\n",
  'src/db.js': `import { PrismaClient } from '@prisma/client'

export default new PrismaClient()
`,
}
