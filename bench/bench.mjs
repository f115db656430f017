#!/usr/bin/env node
// npm run bench: builds the app and two yardsticks of the same Nuxt version (bench/fixtures: a plain Nitro
// route and a minimal Nuxt + Pinia page), starts each production server and measures, in one run:
// GET /api/health, GET /api/auth/me (cookie), POST /api/auth/refresh (a distinct refresh token per
// request), POST /api/auth/google (fresh emulator credentials) and a signed-in page render (GET /account),
// on SQLite and on PostgreSQL, each as req/s, p50, p99 and the ratio to its yardstick (API routes to the
// plain Nitro route, the page to the minimal Nuxt page), with peak RSS per process and a note when other
// processes kept the machine busy; then refresh latency with 10 000 vs 1 000 000 stored sessions; then
// what the revocation list costs (GET /api/auth/me with 100 000 revoked sessions against none, the
// list's memory, one check's time). Prints a table, writes bench/results/latest.json.
// Options: --no-build, --duration <s> (default 10), --connections <n> (default 32), --quick (skip 1M),
// --only-revocation (just the last part).
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createJiti } from 'jiti'
import { LOAD_GENERATOR, load as runLoad } from './load.mjs'
import { mintCredentials, openDirect, peakRssMb, peakRssOfServer, seedSessions, signInOnce, sqliteUrl, startServer } from './servers.mjs'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`)
  return index >= 0 ? Number(args[index + 1]) : fallback
}
const DURATION = option('duration', 10)
const CONNECTIONS = option('connections', 32)
const QUICK = args.includes('--quick')
const ONLY_REVOCATION = args.includes('--only-revocation')
const REVOKED = 100_000
/** Rounds of the with/without comparison, taken in turns: their medians damp the noise of one run. */
const ROUNDS = 5

const PLAIN_NITRO = 'bench/fixtures/plain-nitro'
const MINIMAL_NUXT = 'bench/fixtures/minimal-nuxt'
const NO_BUILD = args.includes('--no-build')
/** A yardstick's production build, unless --no-build finds one already there. */
function buildYardstick(label, command, dir) {
  if (NO_BUILD && existsSync(`${dir}/.output/server/index.mjs`)) return
  console.log(`Building ${label}…`)
  execFileSync('npx', [command, 'build', dir], { stdio: ['ignore', 'ignore', 'inherit'] })
}
if (!NO_BUILD) {
  console.log('Building the app…')
  execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] })
}
buildYardstick('the plain Nitro yardstick', 'nitropack', PLAIN_NITRO)
buildYardstick('the minimal Nuxt yardstick', 'nuxt', MINIMAL_NUXT)

/** One measured row against a running server. */
function load(server, path, options = {}) {
  return runLoad(`${server.url}${path}`, { serverPid: server.child.pid, duration: DURATION, connections: CONNECTIONS, ...options })
}

/** The yardsticks, measured in the same run as the rows they are compared with. */
async function benchYardsticks() {
  const plain = await startServer(null, `${PLAIN_NITRO}/.output/server/index.mjs`)
  const page = await startServer(null, `${MINIMAL_NUXT}/.output/server/index.mjs`)
  try {
    console.log('[yardsticks] plain Nitro GET /ok, minimal Nuxt + Pinia page…')
    return {
      api: { ...await load(plain, '/ok'), peakRssMb: peakRssMb(plain.child.pid) },
      page: { ...await load(page, '/', { headers: { Accept: 'text/html' } }), peakRssMb: peakRssMb(page.child.pid) },
    }
  }
  finally {
    await Promise.all([plain.stop(), page.stop()])
  }
}

async function benchStore(label, databaseUrl, workers) {
  const server = await startServer(databaseUrl, undefined, workers)
  label = `${label}, ${workers} worker${workers > 1 ? 's' : ''}`
  const direct = await openDirect(databaseUrl)
  try {
    const signedIn = await signInOnce(server)
    const rows = {}
    const cookie = { Cookie: `__Host-auth_access=${signedIn.accessToken}` }
    console.log(`\n[${label}] GET /api/health…`)
    rows.health = await load(server, '/api/health')
    console.log(`[${label}] GET /api/auth/me…`)
    rows.me = await load(server, '/api/auth/me', { headers: cookie })
    // Enough for 12 000 refreshes a second: each token is used once (a second use is reuse, and revokes).
    const refreshTokens = await seedSessions(direct, signedIn.user.id, Math.max(60_000, DURATION * 12_000))
    console.log(`[${label}] POST /api/auth/refresh (one token per request, ${refreshTokens.length} prepared)…`)
    rows.refresh = await load(server, '/api/auth/refresh', { method: 'POST', items: refreshTokens.map(token => `Bearer ${token}`) })
    // Each credential signs in once (a second use is credential_replayed): enough for 5 000 sign-ins a second.
    const credentials = await mintCredentials(direct, Math.max(8_000, DURATION * 5_000))
    console.log(`[${label}] POST /api/auth/google (fresh credentials, ${credentials.length} prepared)…`)
    rows.google = await load(server, '/api/auth/google', {
      method: 'POST', mode: 'body', items: credentials.map(credential => JSON.stringify({ credential, transport: 'bearer' })),
    })
    console.log(`[${label}] GET /account (a signed-in page render)…`)
    rows.page = await load(server, '/account', { headers: { ...cookie, Accept: 'text/html' } })
    rows.peakRssMb = peakRssOfServer(server.child.pid)
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
    const sample = tokens.slice(-40_000)
    const result = await load(server, '/api/auth/refresh', {
      method: 'POST', connections: 8, duration: Math.min(DURATION, 5), items: sample.map(token => `Bearer ${token}`),
    })
    return { stored, ...result }
  }
  finally {
    await direct.close()
    await server.stop()
  }
}

/**
 * What the revocation check costs. In-process: the heap of a list of 100 000
 * revoked sessions, and the time of one check (a session that is not in it,
 * as for every signed-in request). Over HTTP, on one SQLite file: GET
 * /api/auth/me and the ceiling with an empty list, then with 100 000 revoked
 * sessions loaded from the store at start.
 */
async function revocationCost() {
  const { RevokedSessions } = await jiti.import('../layers/auth/server/revocation/revoked-sessions.ts')
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc')
  gc()
  const heapBefore = process.memoryUsage().heapUsed
  const list = new RevokedSessions(3_600_000)
  const now = Date.now()
  // Flat strings, as the database driver hands them over (randomUUID's are ropes, three times the size).
  for (let i = 0; i < REVOKED; i++) list.add(Buffer.from(randomUUID(), 'latin1').toString('latin1'), now, 'device', now)
  gc()
  const heapBytes = process.memoryUsage().heapUsed - heapBefore
  const probes = Array.from({ length: 1_000 }, () => randomUUID())
  let found = 0
  const started = process.hrtime.bigint()
  for (let round = 0; round < 1_000; round++) for (const id of probes) found += list.has(id) ? 1 : 0
  const checkNs = Number(process.hrtime.bigint() - started) / 1e6
  if (found !== 0 || list.size !== REVOKED) throw new Error('The revocation list did not hold what was put in it.')

  // Two servers side by side, one with an empty list and one with REVOKED sessions (revoked a minute
  // ago: within the token lifetime, so all are loaded at start; older than the feed's 30 s overlap, so
  // this is the steady state, not the re-reading just after a mass revocation). Short runs, taken in
  // turns, ROUNDS rounds, medians: the two are compared under the same conditions.
  const emptyUrl = sqliteUrl()
  const fullUrl = sqliteUrl()
  const emptyServer = await startServer(emptyUrl)
  let fullServer = await startServer(fullUrl)
  let empty, full
  try {
    for (const server of [emptyServer, fullServer]) await fetch(`${server.url}/api/health`)
    const { user } = await signInOnce(fullServer)
    const direct = await openDirect(fullUrl)
    await seedSessions(direct, user.id, REVOKED)
    await direct.exec('UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE revoked_at IS NULL', [Date.now() - 60_000, 'device'])
    await direct.close()
    // Restarted, the server loads them at start, as every instance does.
    await fullServer.stop()
    fullServer = await startServer(fullUrl)
    await fetch(`${fullServer.url}/api/health`)
    const tokens = [(await signInOnce(emptyServer)).accessToken, (await signInOnce(fullServer)).accessToken]
    // The list is really loaded: a token of one of those sessions, signed with the server's own key, is refused.
    const check = await openDirect(fullUrl)
    const [revoked] = await check.query('SELECT id, user_id FROM sessions WHERE revoked_at IS NOT NULL ORDER BY id DESC LIMIT 1')
    await check.close()
    const iat = Math.floor(Date.now() / 1000)
    const forged = await signWithServerKey(fullUrl.slice('sqlite:'.length), { iss: fullServer.url, aud: fullServer.url, sub: revoked.user_id, sid: revoked.id, jti: randomUUID(), iat, exp: iat + 600 })
    const refused = await (await fetch(`${fullServer.url}/api/auth/me`, { headers: { authorization: `Bearer ${forged}` } })).json()
    if (refused.data?.code !== 'session_revoked') throw new Error(`A revoked session's token was not refused: ${JSON.stringify(refused)}`)

    const rounds = { empty: [], full: [] }
    const duration = Math.max(3, Math.round(DURATION / 2))
    for (let round = 1; round <= ROUNDS; round++) {
      const pair = [['empty', emptyServer, tokens[0]], ['full', fullServer, tokens[1]]]
      // Alternate which goes first, so that neither always follows the other's load.
      for (const [name, server, token] of round % 2 ? pair : pair.reverse()) {
        console.log(`[revocation] round ${round}, ${name === 'empty' ? 'no revoked sessions' : `${REVOKED.toLocaleString('en')} revoked`}: ceiling, then GET /api/auth/me…`)
        const bare = await load(server, '/.well-known/jwks.json', { duration })
        const me = await load(server, '/api/auth/me', { duration, headers: { Cookie: `__Host-auth_access=${token}` } })
        if (me.errors) throw new Error(`GET /api/auth/me answered ${me.errors} errors on the ${name} server: ${await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie: `__Host-auth_access=${token}` } })).text()}`)
        rounds[name].push({ bare, me, ratio: me.rps / bare.rps })
      }
    }
    const median = (list, pick) => list.map(pick).sort((a, b) => a - b)[Math.floor(list.length / 2)]
    const figures = name => ({
      meRps: median(rounds[name], r => r.me.rps),
      meP99: median(rounds[name], r => r.me.p99),
      bareRps: median(rounds[name], r => r.bare.rps),
      ratio: Number(median(rounds[name], r => r.ratio).toFixed(3)),
    })
    empty = { ...figures('empty'), rssMb: peakRssOfServer(emptyServer.child.pid).at(-1) }
    full = { ...figures('full'), rssMb: peakRssOfServer(fullServer.child.pid).at(-1) }
  }
  finally {
    await Promise.all([emptyServer.stop(), fullServer.stop()])
  }
  return { revoked: REVOKED, heapMb: Number((heapBytes / 1048576).toFixed(1)), checkNs: Number(checkNs.toFixed(1)), empty, full }
}

const jiti = createJiti(import.meta.url, { alias: { '#shared': new URL('../shared', import.meta.url).pathname } })
const { startTestPostgres } = await jiti.import('../tests/fixtures/postgres.ts')
const { signWithServerKey } = await jiti.import('../tests/fixtures/database.ts')

const results = { date: new Date().toISOString(), node: process.version, loadGenerator: LOAD_GENERATOR, duration: DURATION, connections: CONNECTIONS, stores: {}, scale: {} }
if (!ONLY_REVOCATION) {
  const postgres = await startTestPostgres()
  try {
    for (const [label, url] of [['SQLite', sqliteUrl()], ['PostgreSQL', postgres.url]]) {
      const yardsticks = await benchYardsticks()
      results.stores[label.toLowerCase()] = { yardsticks, workers: { 1: await benchStore(label, url, 1), 2: await benchStore(label, url, 2) } }
    }
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
}
results.revocation = await revocationCost()

const pad = (value, width) => String(value ?? '').padStart(width)
const busyNotes = []
const line = (store, route, row, yardstick) => {
  row.ratio = yardstick ? Number((row.rps / yardstick.rps).toFixed(2)) : 1
  let note = row.errors ? `${row.errors} errors` : ''
  if (row.busyOther > 0.15) {
    busyNotes.push(`${store} ${route}`)
    note = `${note} busy: others used ${Math.round(row.busyOther * 100)} % of a core`.trim()
  }
  console.log(`${store.padEnd(11)}${route.padEnd(34)}${pad(row.rps, 8)}${pad(row.p50, 8)}${pad(row.p99, 8)}${pad(yardstick ? row.ratio : '', 8)}  ${note}`)
}
console.log(`\nnpm run bench: ${DURATION} s per row, ${CONNECTIONS} connections, ${LOAD_GENERATOR}, on this machine (${results.node})\n`)
console.log(`${'store'.padEnd(11)}${'route'.padEnd(34)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('× yard', 8)}`)
for (const [store, { yardsticks, workers }] of Object.entries(results.stores)) {
  line(store, 'plain Nitro GET /ok (yardstick)', yardsticks.api)
  line(store, 'minimal Nuxt page (yardstick)', yardsticks.page)
  for (const [count, rows] of Object.entries(workers)) {
    const w = `, ${count}w`
    line(store, `GET /api/health${w}`, rows.health, yardsticks.api)
    line(store, `GET /api/auth/me${w}`, rows.me, yardsticks.api)
    line(store, `POST /api/auth/refresh${w}`, rows.refresh, yardsticks.api)
    line(store, `POST /api/auth/google${w}`, rows.google, yardsticks.api)
    line(store, `GET /account (signed-in page)${w}`, rows.page, yardsticks.page)
    console.log(`${store.padEnd(11)}${`peak RSS${w}`.padEnd(34)}app ${rows.peakRssMb.join(' + ')} MB (primary${count > 1 ? ' + workers' : ' + worker'}); plain Nitro ${yardsticks.api.peakRssMb} MB; minimal Nuxt ${yardsticks.page.peakRssMb} MB`)
  }
}
console.log(`\n"1w", "2w": worker processes (NITRO_CLUSTER_WORKERS); × yard: the ratio to the yardstick above (API routes: the plain Nitro route; the page: the minimal Nuxt page), both one process.`)
if (busyNotes.length) console.log(`\nThe machine was busy with other work during ${busyNotes.length} row(s): their figures are low.`)
for (const [store, scale] of Object.entries(results.scale)) {
  const [small, large] = scale
  console.log(`${store.padEnd(11)}refresh p99 with ${small.stored.toLocaleString('en')} sessions: ${small.p99} ms; with ${large.stored.toLocaleString('en')}: ${large.p99} ms (× ${(large.p99 / Math.max(small.p99, 1)).toFixed(2)})`)
}
const revocation = results.revocation
const perRequestShare = revocation.checkNs * revocation.empty.meRps / 1e9
console.log(`\nrevocation list, ${revocation.revoked.toLocaleString('en')} revoked sessions: ${revocation.heapMb} MB of heap; one check ${revocation.checkNs} ns (${(perRequestShare * 100).toFixed(3)} % of a request's time at ${revocation.empty.meRps} req/s)`)
console.log(`GET /api/auth/me, medians of ${ROUNDS} rounds taken in turns:`)
for (const [name, label] of [['empty', 'no revoked sessions'], ['full', `${revocation.revoked.toLocaleString('en')} revoked`]]) {
  const row = revocation[name]
  console.log(`  ${label.padEnd(20)} ${pad(row.meRps, 6)} req/s, p99 ${row.meP99} ms; ceiling ${row.bareRps} req/s; × ceiling ${row.ratio}; peak RSS ${row.rssMb} MB`)
}
console.log(`  with ${revocation.revoked.toLocaleString('en')} revoked: ${(revocation.full.meRps / revocation.empty.meRps).toFixed(3)} of the req/s, ${(revocation.full.ratio / revocation.empty.ratio).toFixed(3)} of the × ceiling (target: within 5 %)`)
mkdirSync('bench/results', { recursive: true })
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`)
console.log('\nWritten to bench/results/latest.json')
