import { createHash } from 'node:crypto'
import { OAuth2Client } from 'google-auth-library'
import type { TokenPayload } from 'google-auth-library'
import { authError } from './errors'

/** Google's two spellings of its issuer; google-auth-library also lets `googleapis.com` through, we do not. */
export const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com']
/** Leeway on Google's `exp` and `iat`, seconds: the library allows 300, the contract at most 30. */
const GOOGLE_LEEWAY = 30

/** Who Google says signed in, after every check. */
export interface GoogleIdentity {
  sub: string
  email: string
  name: string
  picture: string | null
  /** Hosted (Workspace) domain, lower case, if any. */
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
 * loose: the exact issuers, a 30 s leeway, a verified e-mail.
 */
export function createGoogleVerifier(options: GoogleVerifierOptions) {
  const client = new OAuth2Client({
    clientId: options.clientId,
    ...(options.certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: options.certsUrl } } : {}),
  })

  return async function verifyGoogleCredential(credential: string, now = Date.now()): Promise<GoogleIdentity> {
    let payload: TokenPayload | undefined
    try {
      // Always pass `audience`: without it the library checks none.
      const ticket = await client.verifyIdToken({ idToken: credential, audience: options.clientId })
      payload = ticket.getPayload()
    }
    catch (error) {
      // The library's messages quote the whole token: never log or return them.
      if (error instanceof Error && error.message.startsWith('Failed to retrieve verification certificates')) {
        throw authError('google_unavailable', 'Google\'s signing certificates could not be fetched; try again shortly.')
      }
      throw invalidCredential()
    }
    if (!payload || !GOOGLE_ISSUERS.includes(payload.iss)) throw invalidCredential()
    const seconds = now / 1000
    if (payload.exp + GOOGLE_LEEWAY < seconds || payload.iat - GOOGLE_LEEWAY > seconds) throw invalidCredential()
    if (!payload.sub || !payload.email) throw invalidCredential()
    if (payload.email_verified !== true) {
      throw authError('invalid_credential', 'Google has not verified this account\'s e-mail address.')
    }
    return {
      sub: payload.sub,
      email: payload.email.toLowerCase(),
      name: (payload.name ?? payload.email).slice(0, 200),
      picture: payload.picture ?? null,
      hd: payload.hd?.toLowerCase() ?? null,
      nonce: payload.nonce ?? null,
      exp: payload.exp,
    }
  }
}

/**
 * Optional allow-lists (NUXT_AUTH_ALLOWED_DOMAINS, NUXT_AUTH_ALLOWED_EMAILS).
 * With both set, matching either lets the account in. The domain is Google's
 * `hd` claim, not the e-mail's domain: a gmail.com address can be anything.
 */
export function isGoogleAccountAllowed(identity: GoogleIdentity, allowedDomains: string[], allowedEmails: string[]): boolean {
  if (!allowedDomains.length && !allowedEmails.length) return true
  return (identity.hd !== null && allowedDomains.includes(identity.hd)) || allowedEmails.includes(identity.email)
}

/** The single-use record key of a credential: its hash, never the credential itself. */
export function credentialReplayKey(credential: string): string {
  return `google-credential:${createHash('sha256').update(credential).digest('base64url')}`
}

function invalidCredential() {
  // Deliberately vague: which check failed helps an attacker more than a user.
  return authError('invalid_credential', 'The Google credential is not valid.')
}
