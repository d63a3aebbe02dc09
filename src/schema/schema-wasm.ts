/**
 * The only door to `@prisma/prisma-schema-wasm` (Prisma's own schema parser,
 * formatter and validator). It is loaded on first use, never at import time:
 * `jobs-kit --help` and `g job` must not pay for it.
 *
 * The wasm is Prisma 7's. Prisma 7 rejects `url`, `directUrl` and
 * `shadowDatabaseUrl` in a datasource block (they moved to prisma.config.ts),
 * while Prisma 6 apps have them. They say nothing about models, so validation
 * and DMMF run on a copy with those lines blanked (line numbers kept); the
 * copy is never written anywhere. Likewise, preview features Prisma 7 no
 * longer knows (e.g. Prisma 6's `metrics`) are dropped from the copy when the
 * engine rejects them: they gate client features, not the data model.
 */
import { createRequire } from 'node:module'

/** A schema as Prisma's engines take it: `[fileName, content]` pairs. */
export type SchemaFiles = Array<[string, string]>

type SchemaWasm = typeof import('@prisma/prisma-schema-wasm')

let wasm: SchemaWasm | undefined
let lastPanicMessage = ''

/** Loads the wasm once per process. */
export function loadSchemaWasm(): SchemaWasm {
  if (!wasm) {
    // The wasm reports Rust panics through this global; without it a panic
    // turns into an unrelated TypeError.
    const registry = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } }
    registry.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (message) => (lastPanicMessage = message) }
    wasm = createRequire(import.meta.url)('@prisma/prisma-schema-wasm') as SchemaWasm
  }
  return wasm
}

/** What `get_config` reports: the datasource and generator blocks. */
export interface SchemaConfig {
  /** `schemas`: the datasource's `schemas = [...]` list (PostgreSQL multi-schema), when it has one. */
  datasources: Array<{ name: string; provider: string; activeProvider: string; schemas?: string[]; sourceFilePath: string }>
  generators: Array<{
    name: string
    provider: { value: string | null; fromEnvVar: string | null }
    output: { value: string | null; fromEnvVar: string | null } | null
    sourceFilePath: string
  }>
}

/**
 * Reads datasource and generator blocks; tolerant of model errors. `errors`
 * are the engine's messages about those blocks (a block it could not read is
 * missing from the lists).
 */
export function getSchemaConfig(files: SchemaFiles): SchemaConfig & { errors: string[] } {
  const result = JSON.parse(loadSchemaWasm().get_config(JSON.stringify({ prismaSchema: files }))) as {
    config: SchemaConfig
    errors?: Array<{ message: string }>
  }
  return { ...result.config, errors: (result.errors ?? []).map((error) => error.message) }
}

/** A model or enum as the DMMF describes it (only what we compare on is typed). */
export interface DmmfModel {
  name: string
  dbName: string | null
  /** PostgreSQL schema of a `@@schema` model. */
  schema?: string | null
  fields: Array<{
    name: string
    /** Column name of an `@map`ped field. */
    dbName?: string | null
    kind: string
    type: string
    isRequired: boolean
    isList: boolean
    nativeType: unknown
    documentation?: string
    [key: string]: unknown
  }>
  [key: string]: unknown
}

export interface Dmmf {
  datamodel: {
    models: DmmfModel[]
    enums: Array<{ name: string; dbName: string | null; [key: string]: unknown }>
    types: unknown[]
    indexes?: unknown[]
    [key: string]: unknown
  }
}

/**
 * Prisma's parsed data model (the `datamodel` part of the DMMF). Throws the
 * engine's error when the schema does not validate. `get_datamodel` returns
 * the same JSON as `get_dmmf(...).datamodel` without the query schema, which
 * is ~50 times larger and dominated the cost of a call.
 */
export function getDmmf(files: SchemaFiles): Dmmf {
  const json = withUnknownFeaturesDropped(files, (copy) =>
    // noColor: the message may be printed to a file or a pipe, where ANSI codes are noise.
    loadSchemaWasm().get_datamodel(JSON.stringify({ prismaSchema: copy, noColor: true })),
  )
  return { datamodel: JSON.parse(json) as Dmmf['datamodel'] }
}

/** Returns the engine's message when the schema does not validate, or null when it does. */
export function validateSchema(files: SchemaFiles): string | null {
  try {
    withUnknownFeaturesDropped(files, (copy) =>
      loadSchemaWasm().validate(JSON.stringify({ prismaSchema: copy, noColor: true })),
    )
    return null
  } catch (error) {
    return engineMessage(error)
  }
}

const UNKNOWN_FEATURE = /The preview feature "(\w+)" is not known/g

/** Runs `call` on the validation copy; if the engine only objects to unknown preview features, drops them and runs it again. */
function withUnknownFeaturesDropped<T>(files: SchemaFiles, call: (copy: SchemaFiles) => T): T {
  try {
    return callEngine(() => call(forValidation(files)))
  } catch (error) {
    const unknown = [...(error as Error).message.matchAll(UNKNOWN_FEATURE)].map((match) => match[1]!)
    if (unknown.length === 0) throw error
    return callEngine(() => call(forValidation(files, unknown)))
  }
}

/**
 * Formats a schema (or a snippet of one) the way `prisma format` does, with
 * `tabSize` spaces of indentation; keeps comments. The engine takes the
 * schema as JSON `[[fileName, content]]`, as the Prisma CLI passes it: given
 * plain text, it returns the text unformatted.
 */
export function formatSchema(content: string, tabSize = 2): string {
  const params = { textDocument: { uri: 'file:/schema.prisma' }, options: { tabSize, insertSpaces: true } }
  const formatted = JSON.parse(loadSchemaWasm().format(JSON.stringify([['schema.prisma', content]]), JSON.stringify(params))) as SchemaFiles
  return formatted[0]![1]
}

/** The engine throws `Error('{"error_code":…,"message":…}')`; keep just the message. */
function engineMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error)
  try {
    const parsed = JSON.parse(raw) as { message?: string }
    if (typeof parsed.message === 'string') return parsed.message
  } catch {
    // not JSON: a panic or a plain message
  }
  return raw
}

function callEngine<T>(call: () => T): T {
  lastPanicMessage = ''
  try {
    return call()
  } catch (error) {
    if (lastPanicMessage) throw new Error(`Prisma's schema engine crashed: ${lastPanicMessage}`, { cause: error })
    throw new Error(engineMessage(error), { cause: error })
  }
}

// `.` stops at `\r`, so a CRLF line (split on `\n`) ends in a `\r` the pattern must allow before `$`.
const CONNECTION_URL_LINE = /^[ \t]*(url|directUrl|shadowDatabaseUrl)[ \t]*=.*\r?$/

/**
 * Blanks Prisma 6's connection URL lines inside datasource blocks and drops
 * `dropFeatures` from `previewFeatures` lines (see the file comment). Line
 * numbers stay the same, so the engine's messages point at the real lines.
 */
export function forValidation(files: SchemaFiles, dropFeatures: string[] = []): SchemaFiles {
  return files.map(([name, content]) => {
    let block: 'datasource' | 'generator' | null = null
    const lines = content.split('\n').map((line) => {
      const opening = /^[ \t]*(datasource|generator)[ \t]+\w+[ \t]*\{/.exec(line)
      if (opening) block = opening[1] as 'datasource' | 'generator'
      else if (block && /^[ \t]*\}/.test(line)) block = null
      else if (block === 'datasource' && CONNECTION_URL_LINE.test(line)) return line.endsWith('\r') ? '\r' : ''
      else if (block === 'generator' && dropFeatures.length > 0 && /^[ \t]*previewFeatures[ \t]*=/.test(line)) {
        return line.replace(/"(\w+)"[ \t]*,?[ \t]*/g, (entry, feature: string) => (dropFeatures.includes(feature) ? '' : entry))
      }
      return line
    })
    return [name, lines.join('\n')]
  })
}
