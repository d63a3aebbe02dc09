// Loaded with `node --import` by the runner test: makes `escape-html` unresolvable, as in an app that never installed it.
import { register } from 'node:module'

const hook = `export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'escape-html') {
    const error = new Error("Cannot find package 'escape-html' (hidden by the test)")
    error.code = 'ERR_MODULE_NOT_FOUND'
    throw error
  }
  return nextResolve(specifier, context)
}`
register(`data:text/javascript,${encodeURIComponent(hook)}`)
