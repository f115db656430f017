import type { NonceResponse } from '../../../../shared/types/api'
import { issueNonce, newNonceSecret } from '../../../google/sign-in-nonce'
import { getNonceCookie, setNonceCookie } from '../../../http/auth-cookies'
import { useAuthServices } from '../../../services'

/**
 * A fresh nonce for Google's `initialize`, bound to this browser by the
 * secret in its HttpOnly `auth_nonce` cookie (kept if present, so several
 * sign-in tabs each get a valid nonce).
 */
export default defineEventHandler(async (event): Promise<NonceResponse> => {
  const { config } = await useAuthServices()
  const secret = getNonceCookie(event) ?? newNonceSecret()
  setNonceCookie(event, config, secret)
  return { nonce: issueNonce(secret) }
})
