import { asciiLowerCase } from '../../shared/ascii-case'
import type { GoogleIdentity } from './google-credentials'
import { authError } from '../utils/auth-error'

/** Google's two spellings of its issuer; google-auth-library also lets `googleapis.com` through, we do not. */
export const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com']
/** Leeway on Google's `exp` and `iat`, seconds: the library allows 300, the contract at most 30. */
const GOOGLE_LEEWAY = 30

/**
 * The identity in a verified credential's claims, after the checks the
 * library leaves loose: the exact issuers, a 30 s leeway, a verified e-mail,
 * and every claim of the JSON type Google uses. The signature proves who
 * signed the claims, not their shape: a number where a string belongs must
 * be a 401, never a crash further on (a 500) or a value stored as is.
 */
export function googleIdentityOf(payload: Record<string, unknown>, now: number): GoogleIdentity {
  const { iss, sub, email, email_verified: emailVerified, name, picture, hd, nonce, exp, iat } = payload
  if (typeof iss !== 'string' || !GOOGLE_ISSUERS.includes(iss)) throw invalidCredential()
  if (!isSeconds(exp) || !isSeconds(iat)) throw invalidCredential()
  const seconds = now / 1000
  if (exp + GOOGLE_LEEWAY < seconds || iat - GOOGLE_LEEWAY > seconds) throw invalidCredential()
  if (!isText(sub) || !isText(email)) throw invalidCredential()
  if (![name, picture, hd, nonce].every(isOptionalString)) throw invalidCredential()
  // Only the boolean: not "true", not 1.
  if (emailVerified !== true) {
    throw authError('invalid_credential', 'Google has not verified this account\'s e-mail address.')
  }
  return {
    sub,
    email: asciiLowerCase(email),
    name: (isText(name) ? name : email).slice(0, 200),
    picture: isText(picture) ? picture : null,
    hd: isText(hd) ? asciiLowerCase(hd) : null,
    nonce: isText(nonce) ? nonce : null,
    exp,
  }
}

export function invalidCredential() {
  // Deliberately vague: which check failed helps an attacker more than a user.
  return authError('invalid_credential', 'The Google credential is not valid.')
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

/** Absent (undefined, or null as the emulator writes a missing picture) or a string. */
function isOptionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string'
}
