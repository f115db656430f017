// What the operator commands share: the server's NUXT_* settings (from the environment, or a .env
// in the working directory, as `nuxt dev` reads it) and the server's own modules, loaded from source.
import { existsSync, readFileSync } from 'node:fs'
import { createJiti } from 'jiti'

/** Sets variables from ./.env that the environment does not already set. */
export function loadDotEnv() {
  if (!existsSync('.env')) return
  for (const line of readFileSync('.env', 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line)
    if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2')
  }
}

const jiti = createJiti(import.meta.url, { alias: { '#shared': new URL('../shared', import.meta.url).pathname } })

/** A server module by its path from the project root, e.g. `server/store/index.ts`. */
export function importServerModule(path) {
  return jiti.import(new URL(`../${path}`, import.meta.url).pathname)
}
