import { createHash, createPublicKey } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { OAuth2Client } from 'google-auth-library'
import type { Certificates } from 'google-auth-library'
import { isCanonicalJws } from './canonical-jws'
import { googleIdentityOf, invalidCredential } from './google-claims'
import { authError } from '../utils/auth-error'

/** Who Google says signed in, after every check. */
export interface GoogleIdentity {
  sub: string
  /** Lower case in ASCII only (see asciiLowerCase). */
  email: string
  name: string
  picture: string | null
  /** Hosted (Workspace) domain, lower case in ASCII only, if any. */
  hd: string | null
  nonce: string | null
  /** Epoch seconds. */
  exp: number
}

export interface GoogleVerifierOptions {
  clientId: string
  /** Where to fetch Google's signing certificates from; the emulator's when it is on. */
  certsUrl?: string
}

/**
 * Verifies Google ID tokens with google-auth-library: signature against the
 * (cached) certificates, `aud` = our client id, then what the library leaves
 * loose (googleIdentityOf). Only the canonical spelling of a token is taken,
 * so that one signed token cannot pass as several.
 */
export function createGoogleVerifier(options: GoogleVerifierOptions) {
  const client = new OAuth2Client({
    clientId: options.clientId,
    ...(options.certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: options.certsUrl } } : {}),
  })

  // Google's certificates as parsed keys, per certificate set the library holds (it keeps one until its
  // max-age, then fetches a new object): the library's verifyIdToken parses the PEM text on every
  // call, a fifth of a sign-in's time.
  const parsedSets = new WeakMap<object, Record<string, KeyObject>>()
  const certsUrl = () => loggableUrl(String(client.endpoints.oauth2FederatedSignonPemCertsUrl))
  /** The last answer that held no usable key: logged once, not on every sign-in. */
  let lastUnusable: unknown = null
  async function currentKeys(): Promise<Record<string, KeyObject>> {
    const { certs } = await client.getFederatedSignonCertsAsync()
    // The library hands over whatever the URL answered: an object for JSON, a string for anything else.
    const set = typeof certs === 'object' && certs !== null ? certs as Record<string, unknown> : null
    let keys = set ? parsedSets.get(set) : undefined
    if (!keys) {
      keys = {}
      for (const [kid, pem] of Object.entries(set ?? {})) {
        if (typeof pem !== 'string') continue
        try {
          keys[kid] = createPublicKey(pem)
        }
        catch {
          // A certificate that does not parse verifies nothing: its tokens are refused as unknown.
        }
      }
      if (set) parsedSets.set(set, keys)
    }
    if (!Object.keys(keys).length) {
      // A 200 that is not Google's {kid: PEM} set (a proxy's page, a wrong URL): Google's side, not the credential's.
      if (lastUnusable !== certs) console.error(`[auth] Google's certificates fetched from ${certsUrl()} hold no usable key (expected {"<kid>": "<PEM>"}); sign-ins answer 503 until they do.`)
      lastUnusable = certs
      throw new NoUsableCertificates()
    }
    return keys
  }

  return async function verifyGoogleCredential(credential: string, now = Date.now()): Promise<GoogleIdentity> {
    if (!isCanonicalJws(credential)) throw invalidCredential()
    let payload: Record<string, unknown> | undefined
    try {
      // What verifyIdToken does, with the parsed keys (its verifier takes a KeyObject as well as PEM text).
      // Always pass `audience`: without it the library checks none.
      const keys = await currentKeys()
      const ticket = await client.verifySignedJwtWithCertsAsync(credential, keys as unknown as Certificates, options.clientId, client.issuers)
      payload = ticket.getPayload() as Record<string, unknown> | undefined
    }
    catch (error) {
      // The library's messages quote the whole token: never log or return them.
      if (error instanceof Error && error.message.startsWith('Failed to retrieve verification certificates')) {
        // For the operator: which URL and why, from the error's status or code alone (its message may quote the answer).
        console.error(`[auth] Google's certificates could not be fetched from ${certsUrl()}: ${fetchFailureReason(error)}`)
        throw authError('google_unavailable', 'Google\'s signing certificates could not be fetched; try again shortly.')
      }
      if (error instanceof NoUsableCertificates) throw authError('google_unavailable', 'Google\'s signing certificates could not be read; try again shortly.')
      throw invalidCredential()
    }
    if (!payload) throw invalidCredential()
    return googleIdentityOf(payload, now)
  }
}

/** The certificates URL answered, but with nothing that verifies a signature: Google's side, not the credential's. */
class NoUsableCertificates extends Error {}

/** A failed fetch's HTTP status (`HTTP 404`), else its system or TLS error code (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`). */
function fetchFailureReason(error: Error): string {
  const { status, code } = error as Error & { status?: unknown, code?: unknown }
  if (typeof status === 'number') return `HTTP ${status}`
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) return code
  return error.name
}

/** The URL without credentials, query or fragment: enough to find the endpoint, nothing that could hold a secret. */
function loggableUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  }
  catch {
    return '(an unreadable URL)'
  }
}

/**
 * Optional allow-lists (NUXT_AUTH_ALLOWED_DOMAINS, NUXT_AUTH_ALLOWED_EMAILS).
 * With both set, matching either lets the account in. The domain is Google's
 * `hd` claim, not the e-mail's domain: a gmail.com address can be anything.
 * Both sides are lower case in ASCII only, so the comparison is exact.
 */
export function isGoogleAccountAllowed(identity: GoogleIdentity, allowedDomains: string[], allowedEmails: string[]): boolean {
  if (!allowedDomains.length && !allowedEmails.length) return true
  return (identity.hd !== null && allowedDomains.includes(identity.hd)) || allowedEmails.includes(identity.email)
}

/**
 * The single-use record key of a verified credential: the SHA-256 of what
 * Google signed (the header and payload segments, byte for byte), never the
 * credential itself. Not of the whole string: the signature segment is the
 * one part that can be spelled differently without Google's key (the
 * verifier now refuses those spellings, but the key should not depend on
 * it), and a signature scheme the library also accepts (ES256) allows
 * several valid signatures for the same content. Not of `jti` alone: the
 * library does not require it; the signed content always exists, and
 * includes `jti` when Google sends one.
 */
export function credentialReplayKey(credential: string): string {
  const signed = credential.split('.').slice(0, 2).join('.')
  return `google-credential:${createHash('sha256').update(signed).digest('base64url')}`
}

/**
 * The key releases before it used: the SHA-256 of the whole credential.
 * Recorded and checked too, so that neither an upgrade (a credential used
 * just before it, recorded under this key) nor a rollback (the older
 * release reads only this key) opens a window for a second sign-in.
 */
export function legacyCredentialReplayKey(credential: string): string {
  return `google-credential:${createHash('sha256').update(credential).digest('base64url')}`
}
