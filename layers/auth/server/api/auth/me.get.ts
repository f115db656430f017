import type { MeResponse } from '../../../shared/types/api'

/** Who is signed in, from the access token alone: no store round trip, so it keeps working while the store is down. */
export default defineEventHandler(async (event): Promise<MeResponse> => {
  const { claims } = await requireAuth(event)
  return {
    user: { id: claims.sub, email: claims.email, name: claims.name, picture: claims.picture },
    session: { id: claims.sid, expiresAt: new Date(claims.session_exp * 1000).toISOString() },
  }
})
