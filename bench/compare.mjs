#!/usr/bin/env node
// node bench/compare.mjs <before>/server/index.mjs [<after>/server/index.mjs] [--only=<row>] [--prof]
// Two production builds side by side in one run (say, the last release's and this one's, each built in
// its own checkout): health, me, refresh, sign-in and a signed-in page on SQLite, one worker each, rows
// taken in turns, 3 rounds, medians; "× after/before" below 1 means slower. --prof writes a CPU profile
// per server to /tmp/prof/compare-<name>/ (node --cpu-prof).
import { spawn } from 'node:child_process'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import { SignJWT, importJWK } from 'jose'
import { resolve } from 'node:path'
import { load } from './load.mjs'

const [beforeEntry, afterEntry = '.output/server/index.mjs'] = process.argv.slice(2).filter(arg => !arg.startsWith('--'))
if (!beforeEntry) throw new Error('Usage: node bench/compare.mjs <before>/server/index.mjs [<after>/server/index.mjs]')
const builds = { before: resolve(beforeEntry), now: resolve(afterEntry) }
const prof = process.argv.includes('--prof')
let port = 4100
const json = body => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** One build's server on a fresh SQLite file, signed in once, with 60 000 refresh tokens and 20 000 fresh credentials ready. */
async function start(name) {
  port += 1
  const url = `http://127.0.0.1:${port}`
  const databasePath = `/tmp/compare-${name}-${Date.now()}.sqlite`
  const child = spawn(process.execPath, [...(prof ? ['--cpu-prof', `--cpu-prof-dir=/tmp/prof/compare-${name}`] : []), builds[name]], {
    cwd: '/tmp',
    env: {
      PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), NITRO_CLUSTER_WORKERS: '1', NUXT_PUBLIC_APP_ORIGIN: url,
      NUXT_DATABASE_URL: `sqlite:${databasePath}`, NUXT_AUTH_GOOGLE_EMULATOR: 'force', NUXT_AUTH_RATE_LIMIT_SIGNIN: '0', NUXT_AUTH_RATE_LIMIT_REFRESH: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise(done => child.stdout.on('data', chunk => String(chunk).includes('Listening') && done()))
  child.stdout.resume()
  for (let i = 0; i < 50 && !(await fetch(`${url}/api/health`)).ok; i++) await new Promise(done => setTimeout(done, 100))
  const { credential } = await (await fetch(`${url}/_emulator/google/token`, json({ email: 'compare@example.com' }))).json()
  const signedIn = await (await fetch(`${url}/api/auth/google`, json({ credential, transport: 'bearer' }))).json()

  const db = new Database(databasePath)
  db.pragma('busy_timeout = 5000')
  const insert = db.prepare('INSERT INTO sessions (id, user_id, refresh_hash, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
  const now = Date.now()
  const refresh = []
  db.transaction(() => {
    for (let i = 0; i < 60_000; i++) {
      const token = randomBytes(32).toString('base64url')
      refresh.push(`Bearer ${token}`)
      insert.run(randomUUID(), signedIn.user.id, createHash('sha256').update(token).digest('base64url'), now, now, now + 86_400_000)
    }
  })()
  const row = db.prepare('SELECT kid, private_jwk FROM signing_keys WHERE purpose = \'google-emulator\'').get()
  db.close()
  const key = await importJWK(JSON.parse(row.private_jwk), 'RS256')
  const iat = Math.floor(Date.now() / 1000)
  const credentials = []
  for (let i = 0; i < 20_000; i++) {
    const token = await new SignJWT({ email: `c${i}@example.com`, email_verified: true, name: `C ${i}`, azp: 'emulator.apps.googleusercontent.com' })
      .setProtectedHeader({ alg: 'RS256', kid: row.kid, typ: 'JWT' }).setIssuer('https://accounts.google.com').setAudience('emulator.apps.googleusercontent.com')
      .setSubject(String(300000000000000000000n + BigInt(i))).setIssuedAt(iat).setExpirationTime(iat + 3600).setJti(randomUUID()).sign(key)
    credentials.push(JSON.stringify({ transport: 'bearer', credential: token }))
  }
  return { name, url, child, token: signedIn.accessToken, refresh, credentials }
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
for (const s of servers) s.child.kill('SIGINT')
await new Promise(r => setTimeout(r, 1500))
