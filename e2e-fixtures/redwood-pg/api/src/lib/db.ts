// See https://www.prisma.io/docs/reference/tools-and-interfaces/prisma-client/constructor
// for options.

import { PrismaPg } from '@prisma/adapter-pg'

import { PrismaClient } from 'src/generated/prisma/client'

const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL })

/*
 * Instance of the Prisma Client
 */
export const db = new PrismaClient({ adapter })
