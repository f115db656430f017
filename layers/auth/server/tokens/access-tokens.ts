import { randomUUID } from 'node:crypto'
import { calculateJwkThumbprint, decodeProtectedHeader, errors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose'
import type { CryptoKey, JWK, JWTPayload } from 'jose'
import type { RevocationReason } from '../../shared/types/api'
import type { AuthStore, SigningKeyRow } from '../store/types'
import { VerifiedTokenCache } from './verified-token-cache'

/** The only algorithm accepted: RFC 8725 §3.1, never take `alg` from the token. */
export const ACCESS_TOKEN_ALG = 'EdDSA'
export const ACCESS_TOKEN_TYP = 'at+jwt'
/**
 * Leeway for `exp` and `nbf` of our own tokens, seconds. Only instances of
 * this app sign and check them, on NTP-synchronised clocks (milliseconds
 * apart); 2 s still covers a host whose synchronisation lapsed for a day
 * (typical drift ≤ 50 ppm). Too small costs nothing worse than an early
 * refresh: `iat` is not checked, and clients refresh a minute ahead.
 * Every window that depends on a token's life follows from it:
 * key retention (below) and the revocation list (`revocationRetentionMs`).
 */
export const CLOCK_LEEWAY = 2
/** An unknown `kid` reloads the key set at most this often, ms: another instance may have rotated. */
const KEY_RELOAD_INTERVAL = 10_000
/** Every instance re-reads the key set this often, ms (server/plugins/2.auth-maintenance.ts). */
export const KEY_SET_REFRESH_PERIOD = 60_000

/**
 * How long one of an ended session's access tokens can still verify, ms,
 * counted from when an instance learnt that the session ended. A token is
 * signed with `iat` = the time its refresh (or sign-in) began, before the
 * revocation committed (a refresh that starts after it fails its
 * compare-and-set), and an instance learns of a revocation only after its
 * commit. So a token's last moment is that moment + ttl, plus the
 * verifier's leeway, plus the skew between the clock that stamped `iat`
 * and the one that learnt (≤ leeway), plus that of the clock that compares
 * (≤ leeway).
 */
export function revocationRetentionMs(ttl: number): number {
  return (ttl + 3 * CLOCK_LEEWAY) * 1000
}

/** The claims of one of our access tokens, after verification. */
export interface AccessClaims {
  /** Our user id. */
  sub: string
  /** Session id. */
  sid: string
  jti: string
  /** Epoch seconds. */
  iat: number
  /** Epoch seconds. */
  exp: number
  email: string
  name: string
  picture: string | null
  /** End of the session's absolute lifetime, epoch seconds. */
  session_exp: number
}

export type AccessTokenFailure = 'token_expired' | 'token_invalid' | 'session_revoked'

const FAILURE_MESSAGES: Record<AccessTokenFailure, string> = {
  token_expired: 'The access token has expired; refresh it.',
  token_invalid: 'The access token is not valid.',
  session_revoked: 'This session was signed out; sign in again.',
}

export class AccessTokenError extends Error {
  /**
   * @param expiredClaims for `token_expired`: the authentic claims (sign-out still needs the session)
   * @param revocationReason for `session_revoked`: why the session ended, when known
   */
  constructor(readonly code: AccessTokenFailure, readonly expiredClaims?: AccessClaims, readonly revocationReason: RevocationReason | null = null) {
    super(FAILURE_MESSAGES[code])
  }
}

interface LoadedKey {
  row: SigningKeyRow
  publicKey: CryptoKey
}

export interface AccessTokenOptions {
  issuer: string
  audience: string
  /** Seconds. */
  ttl: number
}

/** A fresh Ed25519 key pair, as the store keeps it, its kid the JWK thumbprint. */
async function newSigningKey(now: number): Promise<SigningKeyRow> {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { crv: 'Ed25519', extractable: true })
  const publicJwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  return {
    kid,
    purpose: 'access',
    alg: ACCESS_TOKEN_ALG,
    publicJwk: JSON.stringify({ ...publicJwk, kid, alg: ACCESS_TOKEN_ALG, use: 'sig' }),
    privateJwk: JSON.stringify(await exportJWK(privateKey)),
    createdAt: now,
    retiredAt: null,
  }
}

/**
 * Signs and verifies access JWTs (RFC 9068 profile) with the key set kept in
 * the store, so that every instance uses the same keys and a restart signs no
 * one out. Verification never consults the store for a known key.
 */
export class AccessTokenIssuer {
  private keys = new Map<string, LoadedKey>()
  private signing: { kid: string, privateKey: CryptoKey } | null = null
  private lastLoad = 0
  private readonly cache = new VerifiedTokenCache<AccessClaims>()

  constructor(private readonly store: AuthStore, private readonly options: AccessTokenOptions) {}

  /**
   * Loads the key set, creating the first key on a fresh store (once, however
   * many processes start together: they would otherwise each sign with a key
   * the others learn of only at their next reload).
   */
  async init(now = Date.now()): Promise<void> {
    if ((await this.store.listSigningKeys('access')).length === 0) await this.store.addFirstSigningKey(await newSigningKey(now))
    await this.reload(now)
  }

  /** Adds a new signing key; the old one stays published until its last token has expired. */
  async rotate(now = Date.now()): Promise<string> {
    const key = await newSigningKey(now)
    await this.store.addSigningKey(key)
    await this.reload(now)
    return key.kid
  }

  /** Re-reads the key set (other instances or the rotate command may have added a key). */
  async reload(now = Date.now()): Promise<void> {
    const rows = (await this.store.listSigningKeys('access')).filter(row => this.isPublished(row, now))
    const keys = new Map<string, LoadedKey>()
    for (const row of rows) {
      keys.set(row.kid, { row, publicKey: await importJWK(JSON.parse(row.publicJwk) as JWK, ACCESS_TOKEN_ALG) as CryptoKey })
    }
    const active = rows.find(row => row.retiredAt === null) ?? rows[0]
    if (!active) throw new Error('No access-token signing key in the store.')
    if (this.signing?.kid !== active.kid) {
      this.signing = { kid: active.kid, privateKey: await importJWK(JSON.parse(active.privateJwk) as JWK, ACCESS_TOKEN_ALG) as CryptoKey }
    }
    this.keys = keys
    this.lastLoad = now
  }

  /** Removes keys whose every token has expired. */
  async deleteExpiredKeys(now = Date.now()): Promise<number> {
    return this.store.deleteSigningKeysRetiredBefore('access', now - this.retentionMs())
  }

  /** The newest key's creation time, epoch ms: for automatic rotation. */
  activeKeyCreatedAt(): number {
    const kid = this.signing?.kid
    return kid ? this.keys.get(kid)?.row.createdAt ?? 0 : 0
  }

  /** @param idleEnd when the session idles out unless used again, epoch seconds */
  async sign(claims: Omit<AccessClaims, 'jti' | 'iat' | 'exp'>, now = Date.now(), idleEnd = Number.POSITIVE_INFINITY): Promise<{ token: string, expiresAt: number }> {
    if (!this.signing) throw new Error('AccessTokenIssuer.init() has not run.')
    const iat = Math.floor(now / 1000)
    // Never outlive the session the token stands for: neither its absolute end nor its idle end.
    const exp = Math.min(iat + this.options.ttl, claims.session_exp, idleEnd)
    const { sub, ...rest } = claims
    const token = await new SignJWT(rest)
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: ACCESS_TOKEN_TYP, kid: this.signing.kid })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setSubject(sub)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.signing.privateKey)
    return { token, expiresAt: exp * 1000 }
  }

  /**
   * Verifies one of our access tokens: our algorithm, our keys, our `typ`,
   * `iss` and `aud`, within the leeway. Throws AccessTokenError; an expired
   * but authentic token carries its claims (sign-out still needs the session).
   */
  async verify(token: string, now = Date.now()): Promise<AccessClaims> {
    const cached = this.cache.get(token, now)
    if (cached) return cached

    const key = await this.keyFor(token, now)
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ACCESS_TOKEN_ALG],
        typ: ACCESS_TOKEN_TYP,
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: CLOCK_LEEWAY,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'sid', 'jti', 'iat', 'exp'],
      })
      const claims = toClaims(payload)
      this.cache.set(token, claims, claims.exp * 1000)
      return claims
    }
    catch (error) {
      if (error instanceof errors.JWTExpired) {
        const payload = error.payload
        throw new AccessTokenError('token_expired', isClaims(payload) ? toClaims(payload) : undefined)
      }
      throw new AccessTokenError('token_invalid')
    }
  }

  /** The public keys for GET /.well-known/jwks.json. */
  jwks(): { keys: JWK[] } {
    return { keys: [...this.keys.values()].map(key => JSON.parse(key.row.publicJwk) as JWK) }
  }

  private async keyFor(token: string, now: number): Promise<CryptoKey> {
    let header
    try {
      header = decodeProtectedHeader(token)
    }
    catch {
      throw new AccessTokenError('token_invalid')
    }
    // The header only picks one of our keys; `jku`, `x5u` and `jwk` are never followed.
    if (header.alg !== ACCESS_TOKEN_ALG || typeof header.kid !== 'string' || header.jwk || header.jku || header.x5u || header.x5c) {
      throw new AccessTokenError('token_invalid')
    }
    let key = this.keys.get(header.kid)
    if (!key && now - this.lastLoad > KEY_RELOAD_INTERVAL) {
      // A store outage must not turn a forged kid into a 503: the token is simply unknown.
      await this.reload(now).catch(() => undefined)
      key = this.keys.get(header.kid)
    }
    if (!key) throw new AccessTokenError('token_invalid')
    return key.publicKey
  }

  private isPublished(row: SigningKeyRow, now: number): boolean {
    return row.retiredAt === null || row.retiredAt + this.retentionMs() > now
  }

  /**
   * A retired key verifies for one token lifetime plus leeway after it
   * stopped signing, plus one key-set refresh period: another instance may
   * go on signing with it until it next re-reads the set.
   */
  private retentionMs(): number {
    return (this.options.ttl + CLOCK_LEEWAY) * 1000 + KEY_SET_REFRESH_PERIOD
  }
}

function isClaims(payload: JWTPayload): boolean {
  return typeof payload.sub === 'string' && typeof payload.sid === 'string'
}

function toClaims(payload: JWTPayload): AccessClaims {
  if (!isClaims(payload)) throw new AccessTokenError('token_invalid')
  return {
    sub: payload.sub!,
    sid: payload.sid as string,
    jti: payload.jti!,
    iat: payload.iat!,
    exp: payload.exp!,
    email: String(payload.email ?? ''),
    name: String(payload.name ?? ''),
    picture: typeof payload.picture === 'string' ? payload.picture : null,
    session_exp: Number(payload.session_exp ?? payload.exp),
  }
}
