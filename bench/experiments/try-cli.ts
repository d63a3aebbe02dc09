import { measureCli } from '../cli/cli-timing.js'
console.log(JSON.stringify(measureCli(3), null, 1))
