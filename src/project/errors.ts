import { ScaffolderError } from '../scaffolder-error.js'

/** The folder is not a Node app: there is no package.json. */
export class PackageJsonNotFoundError extends ScaffolderError {
  constructor(readonly root: string) {
    super(
      'PACKAGE_JSON_NOT_FOUND',
      `no package.json in ${root}`,
      'Run jobs-kit from your app\'s root folder (or pass --cwd <app folder>); create one with `npm init -y` if the app has none.',
    )
  }
}

/** A JSON file (package.json, tsconfig.json, jobs-kit.json) jobs-kit could not parse. */
export class InvalidJsonFileError extends ScaffolderError {
  constructor(readonly path: string, reason: string) {
    super('INVALID_JSON', `${path} is not valid JSON (${reason})`, `Fix ${path} and run the command again.`)
  }
}

/** No module that exports the app's PrismaClient in the usual places. */
export class PrismaClientModuleNotFoundError extends ScaffolderError {
  constructor(readonly folders: readonly string[], readonly modules: readonly string[], readonly extensions: readonly string[]) {
    const where = folders.map((folder) => (folder === '.' ? 'the app root' : `${folder}/`)).join(' and ')
    const forms = `{${extensions.map((extension) => extension.slice(1)).join(',')}}`
    super(
      'PRISMA_CLIENT_NOT_FOUND',
      `no module exporting your PrismaClient was found (looked in ${where} for ${modules.join(', ')}, ` +
        `each as <name>.${forms} and <name>/index.${forms})`,
      'The jobs config imports the client your app already uses. Export it from a module ' +
        '(e.g. src/lib/db.ts: `export const db = new PrismaClient({ adapter })`) or point at yours with ' +
        '--db <file>[#exportName], e.g. --db src/server/prisma.ts#prisma.',
    )
  }
}

/** `--db` names a file that does not exist or an export it does not have. */
export class PrismaClientModuleInvalidError extends ScaffolderError {
  constructor(readonly path: string, reason: string) {
    super(
      'PRISMA_CLIENT_INVALID',
      `--db ${path}: ${reason}`,
      'Pass the module that exports your PrismaClient, relative to the app root, with the export name after "#" when it is not `db`, `prisma` or the default export (e.g. --db src/lib/prisma.ts#prisma).',
    )
  }
}
