import { randomBytes } from 'node:crypto'
import type { NonceResponse } from '#shared/types/api'

/** A fresh nonce for Google's `initialize`, remembered in an HttpOnly cookie to bind the sign-in to this browser. */
export default defineEventHandler(async (event): Promise<NonceResponse> => {
  const { config } = await useAuthServices()
  const nonce = randomBytes(24).toString('base64url')
  setNonceCookie(event, config, nonce)
  return { nonce }
})
