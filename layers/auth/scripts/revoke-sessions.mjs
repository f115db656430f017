#!/usr/bin/env node
// npm run auth:revoke -- --email ada@example.com   (or --user <user id>)
// Incident response (a stolen laptop, someone who left): ends every session of a user. Their
// refresh tokens stop working at once, and every running instance refuses their access tokens
// within a second (PostgreSQL: a notification, else the instances' 500 ms poll; SQLite: the poll).
// Writes one `session_revoked` audit line. Reads NUXT_DATABASE_URL like the server; .env in the
// working directory is honoured like `nuxt dev` does.
import { parseArgs } from 'node:util'
import { importServerModule, loadDotEnv } from './script-env.mjs'

const usage = 'Usage: npm run auth:revoke -- --email <address> | --user <user id>'
let options
try {
  ({ values: options } = parseArgs({ options: { email: { type: 'string' }, user: { type: 'string' } } }))
}
catch (error) {
  console.error(`${error.message}\n${usage}`)
  process.exit(2)
}
if (Boolean(options.email) === Boolean(options.user)) {
  console.error(`Name exactly one user.\n${usage}`)
  process.exit(2)
}

loadDotEnv()
const { openStore } = await importServerModule('server/store/index.ts')
const { logAuthEvent } = await importServerModule('server/utils/audit-log.ts')
const { asciiLowerCase } = await importServerModule('shared/ascii-case.ts')

const store = await openStore(process.env.NUXT_DATABASE_URL || 'sqlite:.data/auth.sqlite')
try {
  // E-mail addresses are stored with ASCII letters lower-cased, and compared exactly.
  const users = options.user
    ? [await store.findUserById(options.user)].filter(Boolean)
    : await store.findUsersByEmail(asciiLowerCase(options.email.trim()))
  if (!users.length) {
    console.error(`No user with ${options.user ? `id ${options.user}` : `e-mail address ${options.email}`}. Nothing was changed.`)
    process.exitCode = 1
  }
  const now = Date.now()
  for (const user of users) {
    const ids = await store.revokeUserSessions(user.id, now)
    logAuthEvent('session_revoked', { userId: user.id, by: 'operator', count: ids.length })
    console.log(`Signed out ${user.email} (user ${user.id}): ${ids.length} session${ids.length === 1 ? '' : 's'} ended.`)
  }
}
finally {
  await store.close()
}
