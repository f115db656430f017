import { resolve } from 'node:path'

/*
 * NUXT_DATABASE_URL in messages for people: what is wrong with it, and which
 * file or server it names. Never its password: a PostgreSQL URL carries one,
 * and a mistyped value may have it anywhere.
 */

const SQLITE_PREFIX = 'sqlite:'
const POSTGRES_URL = /^postgres(ql)?:\/\/./
const FORM = 'sqlite:<path to a file> or postgres://user:password@host/database'

/** True for the URLs of the PostgreSQL store. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return POSTGRES_URL.test(databaseUrl)
}

/** One sentence saying what is wrong with the URL, or null when a store can be opened from it. */
export function databaseUrlProblem(databaseUrl: string): string | null {
  if (databaseUrl === SQLITE_PREFIX) return `NUXT_DATABASE_URL=sqlite: names no file: write ${SQLITE_PREFIX}<path>, such as sqlite:.data/auth.sqlite.`
  if (databaseUrl.startsWith(SQLITE_PREFIX) || isPostgresUrl(databaseUrl)) return null
  // Only a scheme followed by // is quoted: before a colon there may as well be a user name, after it a password.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(databaseUrl)?.[1]
  return `NUXT_DATABASE_URL must be ${FORM}; got ${scheme ? `a ${scheme}:// URL` : 'a value that starts with neither (not shown: it may hold a password)'}.`
}

/** Which database the URL names: the SQLite file's absolute path, or PostgreSQL's host, port, database and user. */
export function describeDatabase(databaseUrl: string): string {
  if (!isPostgresUrl(databaseUrl)) {
    const path = databaseUrl.slice(SQLITE_PREFIX.length)
    return path === ':memory:' ? 'an in-memory SQLite database' : `the SQLite file ${resolve(path)}`
  }
  try {
    const url = new URL(databaseUrl)
    // pg's defaults: a socket or localhost, port 5432, the database named after the user.
    const host = url.searchParams.get('host') || decodeURIComponent(url.hostname) || 'localhost'
    const user = decodeURIComponent(url.username)
    const database = decodeURIComponent(url.pathname.slice(1)) || user
    return `PostgreSQL at ${host}:${url.port || 5432}${database ? `, database "${database}"` : ''}${user ? `, user "${user}"` : ''}`
  }
  catch {
    return 'a PostgreSQL URL that cannot be read'
  }
}

/** A message with the URL's password, as written or percent-decoded, replaced by `***`. */
export function withoutPassword(message: string, databaseUrl: string): string {
  let password: string
  try {
    password = new URL(databaseUrl).password
  }
  catch {
    return message
  }
  let decoded = password
  try {
    decoded = decodeURIComponent(password)
  }
  catch {
    // A malformed escape: only the password as written can appear.
  }
  return [password, decoded].filter(Boolean).reduce((text, secret) => text.split(secret).join('***'), message)
}
