import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NotesResponse } from '../../shared/notes'
import { ADA, copyOfV010Database, readAllRows } from '../fixtures/upgrade'
import { withDatabase } from '../fixtures/database'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { signInWithBearer } from '../fixtures/sign-in'

/** The production build, started on a database made by v0.1.0: the upgrade a deployment goes through. */
describe('the server on a v0.1.0 database', () => {
  let server: RunningServer
  let before: Record<string, unknown[]>

  beforeAll(async () => {
    const databasePath = copyOfV010Database()
    before = readAllRows(databasePath)
    server = await startServer({ databasePath })
  })
  afterAll(() => server.stop())

  it('keeps signing with the key it had (retired ones go once their tokens have expired, as always)', async () => {
    const access = (before.signing_keys as { kid: string, purpose: string, retired_at: number | null }[]).filter(key => key.purpose === 'access')
    const active = access.find(key => key.retired_at === null)!
    const { keys } = await (await fetch(`${server.url}/.well-known/jwks.json`)).json() as { keys: { kid: string }[] }
    expect(keys.map(key => key.kid)).toContain(active.kid)
    expect(access.map(key => key.kid)).toEqual(expect.arrayContaining(keys.map(key => key.kid)))
  })

  it('signs an existing user in as the same user, with their notes', async () => {
    const ada = (before.users as { id: string, google_sub: string }[]).find(user => user.google_sub === ADA.sub)!
    const signedIn = await signInWithBearer(server, { sub: ADA.sub, email: ADA.email, name: ADA.name })
    expect(signedIn).toMatchObject({ newUser: false, user: { id: ada.id, email: ADA.email } })
    const response = await fetch(`${server.url}/api/notes`, { headers: { authorization: `Bearer ${signedIn.accessToken}` } })
    expect(((await response.json()) as NotesResponse).notes.map(note => note.text)).toEqual(ADA.notes)
  })

  it('lets an existing user delete their account: their rows made by v0.1.0 go, the other user\'s stay', async () => {
    const ada = (before.users as { id: string, google_sub: string }[]).find(user => user.google_sub === ADA.sub)!
    const signedIn = await signInWithBearer(server, { sub: ADA.sub, email: ADA.email, name: ADA.name })
    const adaSessions = withDatabase(server.databasePath, db => db.prepare('SELECT id FROM sessions WHERE user_id = ? ORDER BY id').all(ada.id) as { id: string }[]).map(row => row.id)
    const response = await fetch(`${server.url}/api/auth/account`, {
      method: 'DELETE',
      headers: { 'authorization': `Bearer ${signedIn.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ confirm: ADA.email }),
    })
    expect(response.status).toBe(204)
    const after = readAllRows(server.databasePath) as Record<string, { user_id?: string, id?: string }[]>
    expect(after.users!.map(user => user.id)).toEqual(before.users!.map(user => (user as { id: string }).id).filter(id => id !== ada.id))
    expect(after.sessions!.filter(session => session.user_id === ada.id)).toEqual([])
    expect(after.notes!.filter(note => note.user_id === ada.id)).toEqual([])
    expect(after.notes).toHaveLength((before.notes as unknown[]).length - ADA.notes.length)
    // Each of her sessions, those made by v0.1.0 (one signed out long ago) too, left a tombstone for the feed.
    const v010Sessions = (before.sessions as { id: string, user_id: string }[]).filter(session => session.user_id === ada.id).map(session => session.id)
    const tombstones = withDatabase(server.databasePath, db => db.prepare('SELECT id FROM session_tombstones ORDER BY id').all() as { id: string }[]).map(row => row.id)
    expect(tombstones).toEqual(adaSessions)
    expect(tombstones).toEqual(expect.arrayContaining(v010Sessions))
  })
})
