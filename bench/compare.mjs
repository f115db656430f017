#!/usr/bin/env node
// node bench/compare.mjs <before>/server/index.mjs [<after>/server/index.mjs] [--only=<row>] [--prof]
// Two production builds side by side in one run (say, the last release's and this one's, each built in
// its own checkout): health, me, refresh, sign-in and a signed-in page on SQLite, one worker each, rows
// taken in turns, 3 rounds, medians; "× after/before" below 1 means slower. --prof writes a CPU profile
// per server to /tmp/prof/compare-<name>/ (node --cpu-prof).
import { resolve } from 'node:path'
import { load } from './load.mjs'
import { mintCredentials, openDirect, seedSessions, signInOnce, sqliteUrl, startServer } from './servers.mjs'

const [beforeEntry, afterEntry = '.output/server/index.mjs'] = process.argv.slice(2).filter(arg => !arg.startsWith('--'))
if (!beforeEntry) throw new Error('Usage: node bench/compare.mjs <before>/server/index.mjs [<after>/server/index.mjs]')
const builds = { before: resolve(beforeEntry), now: resolve(afterEntry) }
const prof = process.argv.includes('--prof')

/** One build's server on a fresh SQLite file, signed in once, with 60 000 refresh tokens and 20 000 fresh credentials ready. */
async function start(name) {
  const databaseUrl = sqliteUrl()
  const server = await startServer(databaseUrl, builds[name], 1, prof ? ['--cpu-prof', `--cpu-prof-dir=/tmp/prof/compare-${name}`] : [])
  const signedIn = await signInOnce(server)
  const direct = await openDirect(databaseUrl)
  const refresh = (await seedSessions(direct, signedIn.user.id, 60_000)).map(token => `Bearer ${token}`)
  const credentials = (await mintCredentials(direct, 20_000)).map(credential => JSON.stringify({ credential, transport: 'bearer' }))
  await direct.close()
  return { ...server, name, token: signedIn.accessToken, refresh, credentials }
}

const servers = [await start('before'), await start('now')]
const rows = {
  health: () => ['/api/health', {}],
  me: s => ['/api/auth/me', { headers: { Cookie: `__Host-auth_access=${s.token}` } }],
  refresh: s => ['/api/auth/refresh', { method: 'POST', items: s.refresh.splice(0, 20000) }],
  google: s => ['/api/auth/google', { method: 'POST', mode: 'body', items: s.credentials.splice(0, 6000) }],
  page: s => ['/account', { headers: { Cookie: `__Host-auth_access=${s.token}`, Accept: 'text/html' } }],
}
const only = process.argv.find(a => a.startsWith('--only='))?.slice(7)
const results = {}
for (const [row, make] of Object.entries(rows)) {
  if (only && only !== row) continue
  for (let round = 0; round < 3; round++) {
    for (const s of round % 2 ? [...servers].reverse() : servers) {
      const [path, opts] = make(s)
      const r = await load(s.url + path, { serverPid: s.child.pid, duration: 4, connections: 32, ...opts })
      ;((results[row] ??= {})[s.name] ??= []).push(r)
    }
  }
}
const med = list => list.map(r => r.rps).sort((a, b) => a - b)[1]
const errors = list => list.reduce((sum, r) => sum + r.errors, 0)
console.log(`\nreq/s, medians of 3 (4 s each, 32 connections); before: ${builds.before}; after: ${builds.now}`)
for (const [row, by] of Object.entries(results)) {
  console.log(`${row.padEnd(8)} before ${String(med(by.before)).padStart(6)}  after ${String(med(by.now)).padStart(6)}  × after/before ${(med(by.now) / med(by.before)).toFixed(2)}  errors ${errors(by.before)} / ${errors(by.now)}`)
}
// SIGTERM: a graceful exit, after which node writes the CPU profiles.
await Promise.all(servers.map(server => server.stop()))
