import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Where jobs-kit keeps V8's compiled code between runs: the platform's
 * per-user cache folder (`$XDG_CACHE_HOME`, else `~/.cache` on Linux;
 * `~/Library/Caches` on macOS; `%LOCALAPPDATA%` on Windows), under
 * `jobs-kit/v8-code-cache`. Without a home folder, the temp folder.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return join(userCacheDir(env, platform), 'jobs-kit', 'v8-code-cache')
}

function userCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (env.XDG_CACHE_HOME) return env.XDG_CACHE_HOME
  if (platform === 'win32' && env.LOCALAPPDATA) return env.LOCALAPPDATA
  let home: string
  try {
    home = homedir()
  } catch {
    return tmpdir()
  }
  if (!home) return tmpdir()
  return platform === 'darwin' ? join(home, 'Library', 'Caches') : join(home, '.cache')
}
