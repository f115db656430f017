import type { ErrorCode, User } from '#shared/types/api'

/** What tabs tell each other on the auth BroadcastChannel. Never a token. */
export type AuthMessage
  = | { type: 'signed-in', user: User, expiresAt: string }
    | { type: 'refreshed', user: User, expiresAt: string }
    | { type: 'signed-out', reason: ErrorCode | null }
