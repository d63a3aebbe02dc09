/**
 * Base class of every error the scaffolder (the CLI, its generators, project
 * and schema detection, the staged tree, `diff`/`update`) throws for a
 * failure it foresaw. `code` is stable (tests and plop match on it), the
 * message says what was wrong, `advice` what to do. Only `src/cli.ts` prints
 * them: `error: <message>`, then `→ <advice>`.
 *
 * The vendored runtime has its own base, `JobsKitError` in
 * `src/runtime/errors.ts`: it lives in the app and must not depend on this.
 */
export class ScaffolderError extends Error {
  readonly code: string
  readonly advice: string

  constructor(code: string, message: string, advice: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
    this.advice = advice
  }
}
