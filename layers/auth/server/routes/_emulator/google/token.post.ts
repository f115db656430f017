import { z } from 'zod'
import { requireGoogleEmulator } from '../../../services'

const tokenRequest = z.object({
  email: z.string().trim().email().max(254),
  name: z.string().max(200).optional(),
  picture: z.string().max(2048).nullable().optional(),
  sub: z.string().min(1).max(255).optional(),
  emailVerified: z.boolean().optional(),
  hd: z.string().max(253).optional(),
  aud: z.string().max(512).optional(),
  iss: z.string().max(512).optional(),
  nonce: z.string().max(512).optional(),
  expiresInSeconds: z.number().int().min(-86_400).max(86_400).optional(),
})

/** Mints a Google-shaped ID token for any account: what Google's account chooser would hand the app. */
export default defineEventHandler(async (event) => {
  const emulator = await requireGoogleEmulator()
  const { body } = await readValidBody(event, tokenRequest)
  return { credential: await emulator.mint(body) }
})
