import { setResponseHeader } from 'h3'
import { requireGoogleEmulator } from '../../../services'

/** The emulator's public keys, shaped like https://www.googleapis.com/oauth2/v1/certs. */
export default defineEventHandler(async (event) => {
  const emulator = await requireGoogleEmulator()
  // google-auth-library caches the document for max-age, as it does Google's.
  setResponseHeader(event, 'cache-control', 'public, max-age=300')
  return emulator.certs()
})
