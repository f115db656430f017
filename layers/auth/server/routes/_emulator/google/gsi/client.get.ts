import { setResponseHeader } from 'h3'
import { requireGoogleEmulator } from '../../../../services'

/** The emulator's stand-in for https://accounts.google.com/gsi/client (server/assets/emulator/gsi-client.js). */
export default defineEventHandler(async (event) => {
  await requireGoogleEmulator()
  const script = await useStorage('assets:auth').getItem<string>('emulator/gsi-client.js')
  setResponseHeader(event, 'content-type', 'application/javascript; charset=utf-8')
  setResponseHeader(event, 'cache-control', 'no-cache')
  return script
})
