const { PrismaMariaDb } = require('@prisma/adapter-mariadb')
const { PrismaClient } = require('../../generated/prisma')

const adapter = new PrismaMariaDb(process.env.DATABASE_URL)

const db = new PrismaClient({ adapter })

module.exports = { db }
