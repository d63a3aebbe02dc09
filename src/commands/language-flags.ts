import type { Argv } from 'yargs'

/** `--ts` / `--js`: override the app's detected language. */
export interface LanguageFlags {
  ts?: boolean
  js?: boolean
}

/** Registers `--ts` and `--js` (mutually exclusive). */
export function withLanguageFlags<T>(yargs: Argv<T>, what: string): Argv<T & LanguageFlags> {
  return yargs
    .option('ts', { type: 'boolean', describe: `Write ${what} in TypeScript, whatever the app uses` })
    .option('js', { type: 'boolean', describe: `Write ${what} in JavaScript, whatever the app uses` })
    .conflicts('ts', 'js') as Argv<T & LanguageFlags>
}

/** The language the flags ask for, or undefined to detect it. */
export function languageFromFlags(flags: LanguageFlags): 'ts' | 'js' | undefined {
  return flags.ts ? 'ts' : flags.js ? 'js' : undefined
}
