const express = require('express')
const { createUser, findUser, ValidationError } = require('../services/users')

const router = express.Router()

router.post('/', async (req, res, next) => {
  try {
    const user = await createUser(req.body)
    res.status(201).json(user)
  } catch (error) {
    if (error instanceof ValidationError) return res.status(400).json({ error: error.message })
    next(error)
  }
})

router.get('/:id', async (req, res) => {
  const user = await findUser(Number(req.params.id))
  if (!user) return res.sendStatus(404)
  res.json(user)
})

module.exports = router
