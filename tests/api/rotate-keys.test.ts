import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { startServer } from '../fixtures/server'
import { signInWithBearer } from '../fixtures/sign-in'

const run = promisify(execFile)

function kidOf(jwt: string): string {
  return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid
}

describe('npm run auth:rotate-keys', () => {
  it('adds a signing key; the old public key stays published and its tokens keep working', async () => {
    const server = await startServer()
    const before = await signInWithBearer(server)
    const oldKid = kidOf(before.accessToken)

    const { stdout } = await run('npm', ['run', '-s', 'auth:rotate-keys'], { env: { ...process.env, ...server.env } })
    const newKid = /New signing key (\S+)\./.exec(stdout)?.[1]
    expect(newKid).toBeDefined()
    expect(newKid).not.toBe(oldKid)
    await server.stop()

    const restarted = await startServer({ port: server.port, databasePath: server.databasePath })
    try {
      const { keys } = await (await fetch(`${restarted.url}/.well-known/jwks.json`)).json() as { keys: { kid: string }[] }
      expect(keys.map(key => key.kid).sort()).toEqual([oldKid, newKid].sort())
      expect((await fetch(`${restarted.url}/api/auth/me`, { headers: { authorization: `Bearer ${before.accessToken}` } })).status).toBe(200)
      const after = await signInWithBearer(restarted)
      expect(kidOf(after.accessToken)).toBe(newKid)
    }
    finally {
      await restarted.stop()
    }
  })
})
