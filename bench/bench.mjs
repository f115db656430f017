#!/usr/bin/env node
// npm run bench — builds once, starts the production server and measures, side by side:
// the ceiling (a route with no auth work: GET /.well-known/jwks.json from memory), GET /api/auth/me
// with a cookie access token, POST /api/auth/refresh with a distinct refresh token per request,
// POST /api/auth/google with fresh emulator credentials; on SQLite and on PostgreSQL; then refresh
// latency with 10 000 vs 1 000 000 stored sessions. Prints a table, writes bench/results/latest.json.
// Options: --no-build, --duration <s> (default 10), --connections <n> (default 32), --quick (skip 1M).
import { execFileSync, spawn } from 'node:child_process'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { createJiti } from 'jiti'
import { SignJWT, importJWK } from 'jose'
import pg from 'pg'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`)
  return index >= 0 ? Number(args[index + 1]) : fallback
}
const DURATION = option('duration', 10)
const CONNECTIONS = option('connections', 32)
const QUICK = args.includes('--quick')

const hash = token => createHash('sha256').update(token).digest('base64url')

if (!args.includes('--no-build')) {
  console.log('Building…')
  execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] })
}

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => done(port))
    })
  })
}

async function startServer(databaseUrl) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [resolve('.output/server/index.mjs')], {
    env: {
      PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port),
      NUXT_PUBLIC_APP_ORIGIN: url, NUXT_DATABASE_URL: databaseUrl, NUXT_AUTH_GOOGLE_EMULATOR: 'force',
      NUXT_AUTH_RATE_LIMIT_SIGNIN: '0', NUXT_AUTH_RATE_LIMIT_REFRESH: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr.on('data', (chunk) => {
    output += chunk
  })
  await new Promise((done, fail) => {
    child.stdout.on('data', chunk => String(chunk).includes('Listening on') && done())
    child.on('exit', code => fail(new Error(`server exited ${code}: ${output}`)))
  })
  child.stdout.resume()
  return { url, child, stop: () => new Promise(done => (child.on('exit', done), child.kill('SIGTERM'))) }
}

/** Peak resident memory of a process so far, MB (Linux VmHWM). */
function peakRssMb(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Math.round(Number(match[1]) / 1024) : null
}

function load(url, options) {
  return new Promise((done, fail) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION, ...options }, (error, result) => error ? fail(error) : done(result))
  })
}

function summary(result) {
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  }
}

/** A database the bench can write sessions into directly, on either store. */
async function openDirect(databaseUrl) {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice(7))
    db.pragma('busy_timeout = 5000')
    return {
      async insertSessions(userId, rows) {
        const insert = db.prepare(`INSERT INTO sessions (id, user_id, refresh_hash, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`)
        db.transaction(() => rows.forEach(row => insert.run(row.id, userId, row.hash, row.now, row.now, row.expires)))()
      },
      async query(sql) {
        return db.prepare(sql).all()
      },
      async close() {
        db.close()
      },
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  return {
    async insertSessions(userId, rows) {
      for (let i = 0; i < rows.length; i += 5000) {
        const chunk = rows.slice(i, i + 5000)
        await client.query(`INSERT INTO sessions (id, user_id, refresh_hash, created_at, last_used_at, expires_at)
          SELECT id, $1, hash, now, now, expires FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS t(id, hash, now, expires)`,
        [userId, chunk.map(r => r.id), chunk.map(r => r.hash), chunk.map(r => r.now), chunk.map(r => r.expires)])
      }
    },
    async query(sql) {
      return (await client.query(sql)).rows
    },
    async close() {
      await client.end()
    },
  }
}

/** Sessions with known refresh tokens, written straight into the store (signing in N times would take minutes). */
async function seedSessions(direct, userId, count) {
  const tokens = []
  const now = Date.now()
  let batch = []
  for (let i = 0; i < count; i++) {
    const token = randomBytes(32).toString('base64url')
    tokens.push(token)
    batch.push({ id: randomUUID(), hash: hash(token), now, expires: now + 86_400_000 })
    if (batch.length === 20_000) {
      await direct.insertSessions(userId, batch)
      batch = []
    }
  }
  if (batch.length) await direct.insertSessions(userId, batch)
  return tokens
}

/** Fresh Google-shaped credentials, minted here with the emulator's key (as the emulator would). */
async function mintCredentials(direct, count) {
  const [row] = await direct.query(`SELECT kid, private_jwk FROM signing_keys WHERE purpose = 'google-emulator'`)
  const key = await importJWK(JSON.parse(row.private_jwk), 'RS256')
  const credentials = []
  const iat = Math.floor(Date.now() / 1000)
  for (let i = 0; i < count; i++) {
    const email = `bench-${i}@example.com`
    credentials.push(await new SignJWT({ email, email_verified: true, name: `Bench ${i}`, azp: 'emulator.apps.googleusercontent.com' })
      .setProtectedHeader({ alg: 'RS256', kid: row.kid, typ: 'JWT' })
      .setIssuer('https://accounts.google.com').setAudience('emulator.apps.googleusercontent.com')
      .setSubject(String(100000000000000000000n + BigInt(i))).setIssuedAt(iat).setExpirationTime(iat + 3600).setJti(randomUUID())
      .sign(key))
  }
  return credentials
}

/** A body per request, each used once, from a list. */
function onePerRequest(list, build) {
  let next = 0
  return [{ setupRequest: request => ({ ...request, ...build(list[next++ % list.length]) }) }]
}

async function signInOnce(server) {
  const minted = await (await fetch(`${server.url}/_emulator/google/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench-user@example.com' }) })).json()
  const response = await fetch(`${server.url}/api/auth/google`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credential: minted.credential, transport: 'bearer' }) })
  return response.json()
}

async function benchStore(label, databaseUrl) {
  const server = await startServer(databaseUrl)
  const direct = await openDirect(databaseUrl)
  try {
    const signedIn = await signInOnce(server)
    const rows = {}
    console.log(`\n[${label}] bare route…`)
    rows.bare = summary(await load(`${server.url}/.well-known/jwks.json`))
    console.log(`[${label}] GET /api/auth/me…`)
    rows.me = summary(await load(`${server.url}/api/auth/me`, { headers: { cookie: `__Host-auth_access=${signedIn.accessToken}` } }))
    const refreshTokens = await seedSessions(direct, signedIn.user.id, 60_000)
    console.log(`[${label}] POST /api/auth/refresh (one token per request, ${refreshTokens.length} prepared)…`)
    rows.refresh = summary(await load(`${server.url}/api/auth/refresh`, {
      method: 'POST', requests: onePerRequest(refreshTokens, token => ({ headers: { authorization: `Bearer ${token}` } })),
    }))
    const credentials = await mintCredentials(direct, 8_000)
    console.log(`[${label}] POST /api/auth/google (fresh credentials, ${credentials.length} prepared)…`)
    rows.google = summary(await load(`${server.url}/api/auth/google`, {
      method: 'POST', requests: onePerRequest(credentials, credential => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credential, transport: 'bearer' }) })),
    }))
    rows.peakRssMb = peakRssMb(server.child.pid)
    return rows
  }
  finally {
    await direct.close()
    await server.stop()
  }
}

/** Refresh latency at a given number of stored sessions (fewer connections: latency, not throughput). */
async function refreshAtScale(label, databaseUrl, stored) {
  const server = await startServer(databaseUrl)
  const direct = await openDirect(databaseUrl)
  try {
    const { user } = await signInOnce(server)
    console.log(`[${label}] seeding ${stored.toLocaleString('en')} sessions…`)
    const tokens = await seedSessions(direct, user.id, stored)
    const sample = tokens.slice(-20_000)
    const result = summary(await load(`${server.url}/api/auth/refresh`, {
      method: 'POST', connections: 8, duration: Math.min(DURATION, 5),
      requests: onePerRequest(sample, token => ({ headers: { authorization: `Bearer ${token}` } })),
    }))
    return { stored, ...result }
  }
  finally {
    await direct.close()
    await server.stop()
  }
}

const jiti = createJiti(import.meta.url)
const { startTestPostgres } = await jiti.import('../tests/fixtures/postgres.ts')
const sqliteUrl = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'auth-bench-')), 'auth.sqlite')}`

const results = { date: new Date().toISOString(), node: process.version, duration: DURATION, connections: CONNECTIONS, stores: {}, scale: {} }
const postgres = await startTestPostgres()
try {
  results.stores.sqlite = await benchStore('SQLite', sqliteUrl())
  results.stores.postgres = await benchStore('PostgreSQL', postgres.url)
  if (!QUICK) {
    for (const [label, url] of [['SQLite', sqliteUrl], ['PostgreSQL', null]]) {
      const scale = []
      for (const stored of [10_000, 1_000_000]) {
        let databaseUrl = url?.()
        let fresh
        if (!databaseUrl) {
          fresh = await startTestPostgres()
          databaseUrl = fresh.url
        }
        scale.push(await refreshAtScale(label, databaseUrl, stored))
        await fresh?.dispose()
      }
      results.scale[label.toLowerCase()] = scale
    }
  }
}
finally {
  await postgres.dispose()
}

const pad = (value, width) => String(value).padStart(width)
console.log(`\nnpm run bench — ${DURATION} s per run, ${CONNECTIONS} connections, load generator on the same machine\n`)
console.log(`${'store'.padEnd(11)}${'route'.padEnd(24)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('× bare', 8)}${pad('errors', 8)}`)
for (const [store, rows] of Object.entries(results.stores)) {
  for (const [name, route] of [['bare', 'GET jwks (ceiling)'], ['me', 'GET /api/auth/me'], ['refresh', 'POST /api/auth/refresh'], ['google', 'POST /api/auth/google']]) {
    const row = rows[name]
    row.ratio = Number((row.rps / rows.bare.rps).toFixed(2))
    console.log(`${store.padEnd(11)}${route.padEnd(24)}${pad(row.rps, 8)}${pad(row.p50, 8)}${pad(row.p99, 8)}${pad(row.ratio, 8)}${pad(row.errors, 8)}`)
  }
  console.log(`${store.padEnd(11)}${'peak RSS under load'.padEnd(24)}${pad(`${rows.peakRssMb} MB`, 8)}`)
}
for (const [store, scale] of Object.entries(results.scale)) {
  const [small, large] = scale
  console.log(`${store.padEnd(11)}refresh p99 with ${small.stored.toLocaleString('en')} sessions: ${small.p99} ms; with ${large.stored.toLocaleString('en')}: ${large.p99} ms (× ${(large.p99 / Math.max(small.p99, 1)).toFixed(2)})`)
}
mkdirSync('bench/results', { recursive: true })
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`)
console.log('\nWritten to bench/results/latest.json')
