import type { User } from '../../shared/types/api'
import type { UserRow } from '../store/types'
import type { AccessClaims } from '../tokens/access-tokens'

/**
 * The one shape of a user the API and pages show (never the Google subject or
 * timestamps), from a stored user or from the claims of their access token.
 */
export function toPublicUser(from: Pick<UserRow, 'id' | 'email' | 'name' | 'picture'> | AccessClaims): User {
  return { id: 'sub' in from ? from.sub : from.id, email: from.email, name: from.name, picture: from.picture }
}
