import { describe, expect, it } from 'vitest'
import { RevokedSessions } from '../../../../layers/auth/server/revocation/revoked-sessions'
import { CLOCK_LEEWAY, revocationRetentionMs } from '../../../../layers/auth/server/tokens/access-tokens'

describe('revoked sessions', () => {
  it('keeps a session for the life of its last possible token, then forgets it', () => {
    const revoked = new RevokedSessions(1_000)
    revoked.add('s1', 10_000, 'device', 10_000)
    expect(revoked.has('s1')).toBe(true)
    expect(revoked.prune(10_999)).toBe(0)
    expect(revoked.has('s1')).toBe(true)
    expect(revoked.prune(11_000)).toBe(1)
    expect(revoked.has('s1')).toBe(false)
    expect(revoked.size).toBe(0)
  })

  it('counts the retention from when it learnt of a revocation, if later than its stamp (the commit may be that late)', () => {
    const revoked = new RevokedSessions(1_000)
    revoked.add('late', 1_000, 'reuse', 5_000)
    expect(revoked.prune(5_999)).toBe(0)
    expect(revoked.has('late')).toBe(true)
    expect(revoked.prune(6_000)).toBe(1)
  })

  it('never shortens a kept entry, and keeps its reason', () => {
    const revoked = new RevokedSessions(1_000)
    revoked.add('s', 10_000, 'reuse', 10_000)
    revoked.add('s', 9_500, null, 10_000)
    expect(revoked.reasonOf('s')).toBe('reuse')
    expect(revoked.reasonOf('unknown')).toBeUndefined()
    expect(revoked.prune(10_999)).toBe(0)
  })

  it('retains a session for the token lifetime plus three leeways (signer, verifier and comparer clocks)', () => {
    expect(revocationRetentionMs(600)).toBe((600 + 3 * CLOCK_LEEWAY) * 1000)
    expect(CLOCK_LEEWAY).toBeLessThanOrEqual(5)
  })
})
