import type { MeResponse } from '../../../shared/types/api'
import { toPublicUser } from '../../sessions/public-user'

/** Who is signed in, from the access token alone: no store round trip, so it keeps working while the store is down. */
export default defineEventHandler(async (event): Promise<MeResponse> => {
  const { claims } = await requireAuth(event)
  return {
    user: toPublicUser(claims),
    session: { id: claims.sid, expiresAt: new Date(claims.session_exp * 1000).toISOString() },
  }
})
