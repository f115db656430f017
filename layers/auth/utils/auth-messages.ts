import type { SignOutReason } from '../shared/sign-out-reason'
import type { User } from '../shared/types/api'

/** What tabs tell each other on the auth BroadcastChannel. Never a token. */
export type AuthMessage
  = | { type: 'signed-in', user: User, expiresAt: string }
    | { type: 'refreshed', user: User, expiresAt: string }
    | {
      type: 'signed-out'
      reason: SignOutReason | null
      /**
       * When the request that learnt of it left, epoch ms; absent for a sign-out the user asked for.
       * A tab that learnt of a sign-in or refresh after that moment keeps its session.
       */
      since?: number
    }
