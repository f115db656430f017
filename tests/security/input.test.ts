import { request } from 'node:http'
import { connect } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAttackLog } from '../fixtures/attacks'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithBearer } from '../fixtures/sign-in'

const log = createAttackLog(import.meta.filename)
let server: RunningServer
let token: string
const secrets: string[] = []

beforeAll(async () => {
  server = await startServer()
  const signedIn = await signInWithBearer(server)
  token = signedIn.accessToken
  secrets.push(signedIn.refreshToken)
})
afterAll(async () => {
  await server.stop()
  log.finish([server], secrets)
})

const ENDPOINTS: [string, string][] = [
  ['POST', '/api/auth/google'], ['POST', '/api/auth/refresh'], ['POST', '/api/auth/signout'], ['GET', '/api/auth/me'],
  ['GET', '/api/auth/google/nonce'], ['GET', '/api/auth/sessions'], ['DELETE', '/api/auth/sessions'],
  ['DELETE', '/api/auth/sessions/x'], ['DELETE', '/api/auth/account'], ['GET', '/api/notes'], ['POST', '/api/notes'], ['DELETE', '/api/notes/x'],
  ['POST', '/_emulator/google/token'],
]
const WITH_BODY = ENDPOINTS.filter(([method, path]) => method === 'POST' || path === '/api/auth/account')

/** A raw request on its own connection (headers and bodies fetch would refuse to send). */
function raw(method: string, path: string, headers: Record<string, string>, body?: Buffer | string) {
  return new Promise<Response>((resolve, reject) => {
    // Node chunks a POST's body by itself, a DELETE's only when asked (else the body is sent unframed).
    const framed = body !== undefined && method === 'DELETE' ? { 'transfer-encoding': 'chunked', ...headers } : headers
    const req = request(`${server.url}${path}`, { method, headers: framed, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve(new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), { status: res.statusCode! })))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * Over-long headers, written on a bare socket: Node answers 431 and closes
 * at once, which an HTTP client still sending would see as a reset.
 */
function oversized(method: string, path: string, header: string) {
  return new Promise<Response>((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1')
    let received = ''
    const done = () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1])
      if (status) resolve(new Response(null, { status }))
      else reject(new Error(`no HTTP answer: ${received.slice(0, 80)}`))
    }
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')))
    socket.on('error', () => socket.destroy())
    socket.on('close', done)
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${header}\r\n\r\n`)
  })
}

async function stillServing() {
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
}

describe('malformed input gets a 4xx, never a 5xx, and loses nothing', () => {
  it('malformed JSON on every endpoint that reads a body', async () => {
    for (const [method, path] of WITH_BODY) {
      for (const body of ['{', '{"credential":', 'nul', '{"a":1}}', '\u0000', '[1,2', '"unterminated']) {
        await log.refused(`${path} malformed JSON ${JSON.stringify(body)}`, await raw(method, path, { 'content-type': 'application/json', 'authorization': `Bearer ${token}` }, body), 'invalid_request', 400)
      }
    }
    await stillServing()
  })

  it('wrong content types', async () => {
    for (const [method, path] of WITH_BODY) {
      for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/json-patch+json']) {
        await log.refused(`${path} as ${type}`, await raw(method, path, { 'content-type': type, 'authorization': `Bearer ${token}` }, 'credential=x&text=y'), 'invalid_request', 415)
      }
    }
  })

  it('1 MiB bodies are refused with 413, declared or chunked', async () => {
    const big = Buffer.alloc(1024 * 1024, 'a')
    for (const [method, path] of WITH_BODY) {
      await log.refused(`${path} 1 MiB`, await raw(method, path, { 'content-type': 'application/json', 'authorization': `Bearer ${token}` }, big), 'invalid_request', 413)
      await log.refused(`${path} 1 MiB chunked`, await raw(method, path, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'authorization': `Bearer ${token}` }, big), 'invalid_request', 413)
    }
    await stillServing()
  })

  it('64 KiB headers and cookies', async () => {
    const huge = 'a'.repeat(64 * 1024)
    for (const [method, path] of ENDPOINTS) {
      await log.refused(`${path} 64 KiB cookie`, await oversized(method, path, `Cookie: __Host-auth_access=${huge}`), undefined, 431)
      await log.refused(`${path} 64 KiB authorization`, await oversized(method, path, `Authorization: Bearer ${huge}`), undefined, 431)
    }
    await stillServing()
  })

  it('unicode, null bytes and control characters in every field', async () => {
    const nasty = ['\u0000', 'a\u0000b', '\uD800', '💥'.repeat(100), '\u202Eevil', '%00', '../../..', '<script>alert(1)</script>', '\' OR 1=1 --', 'x'.repeat(9000)]
    for (const value of nasty) {
      const bodies: [string, string, object][] = [
        ['POST', '/api/auth/google', { credential: value, transport: 'bearer' }],
        ['POST', '/api/auth/google', { token: value, transport: value }],
        ['POST', '/api/auth/refresh', { refreshToken: value }],
        ['POST', '/api/auth/signout', { refreshToken: value }],
        ['POST', '/_emulator/google/token', { email: value }],
      ]
      for (const [method, path, body] of bodies) {
        const response = await raw(method, path, { 'content-type': 'application/json' }, JSON.stringify(body))
        // Sign-out is idempotent: 204 for a token it cannot find is the contract, not an acceptance.
        if (path === '/api/auth/signout' && response.status === 204) {
          log.judged(`signout with ${JSON.stringify(value).slice(0, 20)} revoked nothing`, true)
          continue
        }
        await log.refused(`${path} with ${JSON.stringify(value).slice(0, 20)}`, response)
      }
      // A lone surrogate cannot be percent-encoded; its well-formed replacement can.
      const encoded = encodeURIComponent(value.toWellFormed())
      await log.refused(`me with bearer ${JSON.stringify(value).slice(0, 20)}`, await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${encoded}` } }))
      await log.refused(`note id ${JSON.stringify(value).slice(0, 20)}`, await fetch(`${server.url}/api/notes/${encoded}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }), 'not_found', 404)
    }
    // The signed-in user lost nothing.
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
  })
})

describe('property-based fuzzing of every endpoint', () => {
  const anyJson = fc.jsonValue({ maxDepth: 3 })
  const field = fc.oneof(fc.string({ unit: 'binary', maxLength: 64 }), fc.integer(), fc.boolean(), fc.constant(null), anyJson)
  const body = fc.oneof(
    fc.record({ credential: field, token: field, transport: field, refreshToken: field, text: field, email: field }, { requiredKeys: [] }),
    anyJson,
  )
  const headerValue = fc.string({ unit: 'grapheme-ascii', maxLength: 200 })

  it('bodies, queries and headers: no 5xx, no crash, no token in any error body', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...ENDPOINTS), body, fc.dictionary(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 }), headerValue, { maxKeys: 3 }), headerValue, headerValue,
      async ([method, path], json, query, authorization, cookie) => {
        const search = new URLSearchParams(query).toString()
        const headers: Record<string, string> = { 'content-type': 'application/json', 'authorization': authorization, 'cookie': cookie }
        const response = await raw(method, `${path}${search ? `?${search}` : ''}`, headers, method === 'GET' ? undefined : JSON.stringify(json))
        const text = await response.text()
        expect(response.status, `${method} ${path}: ${text.slice(0, 200)}`).toBeLessThan(500)
        expect(text).not.toMatch(/eyJ[\w-]{10,}\./)
        log.judged(`fuzz ${method} ${path}`, response.status < 500)
      },
    ), { numRuns: 300, seed: 20261126 })
    await stillServing()
  })
})
