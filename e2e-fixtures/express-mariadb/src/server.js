const app = require('./app')
const { db } = require('./lib/db')

const port = Number(process.env.PORT ?? 3000)
const server = app.listen(port, () => console.log(`listening on http://localhost:${port}`))

process.on('SIGTERM', () => {
  server.close(() => db.$disconnect())
})
