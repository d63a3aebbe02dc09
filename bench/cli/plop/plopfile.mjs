// The plop side of the CLI benchmark: one generator that writes one job file
// from a handlebars template, the smallest thing `jobs-kit g job` competes with.
export default function (plop) {
  plop.setGenerator('job', {
    description: 'a job file',
    prompts: [{ type: 'input', name: 'name', message: 'job name' }],
    actions: [{ type: 'add', path: 'src/jobs/{{pascalCase name}}Job/{{pascalCase name}}Job.ts', templateFile: 'job.ts.hbs' }],
  })
}
