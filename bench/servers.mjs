// What npm run bench and bench/compare.mjs share: production servers on a free port, a direct line
// into their database, and what the rows consume (refresh tokens, fresh Google credentials).
import { spawn } from 'node:child_process'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { SignJWT, importJWK } from 'jose'
import pg from 'pg'

const hash = token => createHash('sha256').update(token).digest('base64url')

/** A new SQLite URL in a fresh folder. */
export const sqliteUrl = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'auth-bench-')), 'auth.sqlite')}`

export function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => done(port))
    })
  })
}

/** The app's production server on a database, with `workers` worker processes (or, with `entry`, a yardstick's). */
export async function startServer(databaseUrl, entry = '.output/server/index.mjs', workers = 1, execArgv = []) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [...execArgv, resolve(entry)], {
    env: {
      PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), NITRO_CLUSTER_WORKERS: String(workers),
      NUXT_PUBLIC_APP_ORIGIN: url, NUXT_DATABASE_URL: databaseUrl ?? '', NUXT_AUTH_GOOGLE_EMULATOR: 'force',
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
export function peakRssMb(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Math.round(Number(match[1]) / 1024) : null
}

/** Peak RSS of a server's processes: the process itself, then each worker it forked. */
export function peakRssOfServer(pid) {
  const workers = readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).filter((entry) => {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid
    }
    catch {
      return false
    }
  })
  return [peakRssMb(pid), ...workers.map(worker => peakRssMb(Number(worker)))]
}

/** A database the bench can write sessions into directly, on either store. */
export async function openDirect(databaseUrl) {
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
      async exec(sql, values = []) {
        db.prepare(sql).run(...values)
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
    async exec(sql, values = []) {
      let n = 0
      await client.query(sql.replace(/\?/g, () => `$${++n}`), values)
    },
    async close() {
      await client.end()
    },
  }
}

/** Sessions with known refresh tokens, written straight into the store (signing in N times would take minutes). */
export async function seedSessions(direct, userId, count) {
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
export async function mintCredentials(direct, count) {
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

export async function signInOnce(server) {
  const minted = await (await fetch(`${server.url}/_emulator/google/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench-user@example.com' }) })).json()
  const response = await fetch(`${server.url}/api/auth/google`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credential: minted.credential, transport: 'bearer' }) })
  return response.json()
}
