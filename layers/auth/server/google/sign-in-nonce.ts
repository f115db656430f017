import { createHmac, randomBytes } from 'node:crypto'
import { secretsEqual } from '../http/csrf'

/**
 * Sign-in nonces bound to one browser. The HttpOnly `auth_nonce` cookie holds
 * a secret of this browser; each nonce is a random salt plus its HMAC under
 * that secret. Any number of sign-in tabs of one browser can each hold their
 * own nonce, and only this browser's cookie validates them.
 */
export function newNonceSecret(): string {
  return randomBytes(32).toString('base64url')
}

export function issueNonce(secret: string): string {
  const salt = randomBytes(16).toString('base64url')
  return `${salt}.${mac(secret, salt)}`
}

/** True when `nonce` was issued with this browser's `secret`. */
export function isNonceIssuedTo(nonce: string | null, secret: string | null): boolean {
  if (!nonce || !secret) return false
  const [salt, tag, ...rest] = nonce.split('.')
  return !rest.length && Boolean(salt) && secretsEqual(tag, mac(secret, salt!))
}

function mac(secret: string, salt: string): string {
  return createHmac('sha256', secret).update(salt).digest('base64url')
}
