import { OptionalDependencyError } from './errors.js'

/**
 * Imports an optional peer of the runtime (`pg`, `croner`, `escape-html`,
 * `cronstrue`, `amqplib`): packages only apps that use a feature install, so each is
 * loaded the first time that feature needs it. Throws
 * `OptionalDependencyError` with `whenMissing` (what to install) when the app
 * does not have it.
 */
export async function importOptionalPeer(name: string, whenMissing: string): Promise<{ default?: unknown } & Record<string, unknown>> {
  try {
    // A variable specifier: bundlers and TypeScript leave the optional import alone.
    const specifier = name
    return (await import(specifier)) as { default?: unknown } & Record<string, unknown>
  } catch (error) {
    throw new OptionalDependencyError(name, whenMissing, error)
  }
}
