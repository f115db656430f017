import { setResponseHeader } from 'h3'
import { useAuthServices } from '../../services'

/** The public keys that verify our access tokens, for other services (RFC 7517). */
export default defineEventHandler(async (event) => {
  const { accessTokens } = await useAuthServices()
  // Short enough that a verifier sees a rotated key well within one access-token lifetime.
  setResponseHeader(event, 'cache-control', 'public, max-age=300')
  return accessTokens.jwks()
})
