import { rememberClientIp } from '../http/client-ip'
import { useAuthServices } from '../services'

/** First, for every request: who is the client, behind the configured trusted proxies (NUXT_AUTH_TRUSTED_PROXIES). */
export default defineEventHandler(async (event) => {
  const { config } = await useAuthServices()
  rememberClientIp(event, config.trustedProxies)
})
