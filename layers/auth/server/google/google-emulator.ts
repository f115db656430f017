import { createHash, randomUUID } from 'node:crypto'
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose'
import type { CryptoKey, JWK } from 'jose'
import type { AuthStore } from '../store/types'

/** What a test or the emulator's account chooser may ask for (docs/api.md, "The Google emulator"). */
export interface EmulatorTokenRequest {
  email: string
  name?: string
  picture?: string | null
  sub?: string
  emailVerified?: boolean
  hd?: string
  aud?: string
  iss?: string
  nonce?: string
  /** Lifetime, seconds; negative mints an already expired token. Default one hour. */
  expiresInSeconds?: number
}

/**
 * The stand-in for Google's token signer: RS256 ID tokens with Google's claim
 * set, and the certificate document google-auth-library fetches. Its key is
 * kept in the store so that every instance verifies what any one minted.
 */
export class GoogleEmulator {
  private key: { kid: string, privateKey: CryptoKey, pem: string } | null = null

  constructor(private readonly store: AuthStore, private readonly clientId: string) {}

  async init(now = Date.now()): Promise<void> {
    // The oldest key: every instance settles on the same one, whichever started first.
    let row = (await this.store.listSigningKeys('google-emulator')).at(-1)
    if (!row) {
      const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })
      const publicJwk = await exportJWK(publicKey)
      row = {
        kid: randomUUID(),
        purpose: 'google-emulator',
        alg: 'RS256',
        publicJwk: JSON.stringify(publicJwk),
        privateJwk: JSON.stringify(await exportJWK(privateKey)),
        createdAt: now,
        retiredAt: null,
      }
      // Of several processes starting together on an empty store, one adds it; all then read the same.
      await this.store.addFirstSigningKey(row)
      row = (await this.store.listSigningKeys('google-emulator')).at(-1)!
    }
    const publicKey = await importJWK(JSON.parse(row.publicJwk) as JWK, 'RS256', { extractable: true }) as CryptoKey
    this.key = {
      kid: row.kid,
      privateKey: await importJWK(JSON.parse(row.privateJwk) as JWK, 'RS256') as CryptoKey,
      pem: await exportSPKI(publicKey),
    }
  }

  /** `{kid: PEM}`, the shape of https://www.googleapis.com/oauth2/v1/certs. */
  certs(): Record<string, string> {
    const key = this.requireKey()
    return { [key.kid]: key.pem }
  }

  /** An ID token as Google would sign it for this request. */
  async mint(request: EmulatorTokenRequest, now = Date.now()): Promise<string> {
    const key = this.requireKey()
    const iat = Math.floor(now / 1000)
    const email = request.email.trim()
    const name = request.name?.trim() || email.split('@')[0]!
    const [given, ...family] = name.split(/\s+/)
    return new SignJWT({
      azp: request.aud ?? this.clientId,
      email,
      email_verified: request.emailVerified ?? true,
      name,
      picture: request.picture === undefined ? avatarFor(email, name) : request.picture,
      given_name: given,
      family_name: family.join(' ') || undefined,
      ...(request.hd ? { hd: request.hd } : {}),
      ...(request.nonce ? { nonce: request.nonce } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(request.iss ?? 'https://accounts.google.com')
      .setAudience(request.aud ?? this.clientId)
      .setSubject(request.sub ?? subjectFor(email))
      .setIssuedAt(iat)
      .setExpirationTime(iat + (request.expiresInSeconds ?? 3600))
      .setJti(randomUUID())
      .sign(key.privateKey)
  }

  private requireKey() {
    if (!this.key) throw new Error('GoogleEmulator.init() has not run.')
    return this.key
  }
}

/** A stable, Google-like numeric `sub` for an e-mail address, so the same person signs in as the same user. */
export function subjectFor(email: string): string {
  const digest = createHash('sha256').update(email.trim().toLowerCase()).digest()
  return digest.readBigUInt64BE(0).toString().padStart(21, '1')
}

/** A picture URL that needs no network: an inline SVG with the person's initial. */
function avatarFor(email: string, name: string): string {
  // The first letter or digit in any script (林, É, Ж), never markup: anything else is '?'.
  const initial = (Array.from(name.trim())[0] ?? '?').toUpperCase().replace(/[^\p{L}\p{N}]/u, '?')
  const hue = createHash('sha256').update(email).digest()[0]! * 360 / 256
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="hsl(${hue.toFixed(0)},45%,38%)"/><text x="48" y="62" font-family="sans-serif" font-size="44" fill="#fff" text-anchor="middle">${initial}</text></svg>`
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}
