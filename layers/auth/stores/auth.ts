import { defineStore } from 'pinia'
import type { SignOutReason } from '../shared/sign-out-reason'
import type { User } from '../shared/types/api'

export type AuthStatus = 'unknown' | 'signedIn' | 'signedOut'

/**
 * Who is signed in, as far as this page knows. Holds no token: tokens live
 * in HttpOnly cookies the page cannot read. Filled on the server during
 * SSR (plugins/auth.server.ts) and kept in step across tabs.
 */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null)
  /**
   * Access-token expiry, ISO-8601, on this device's clock (set from `expiresIn`
   * or rebased from the server's render time), so that a wrong client clock
   * cannot make every token look expired.
   */
  const expiresAt = ref<string | null>(null)
  /** Set during SSR: the server's clock when it rendered, to rebase `expiresAt` in the browser; 0 after. */
  const renderedAt = ref(0)
  const status = ref<AuthStatus>('unknown')
  /** True right after a first sign-in (the original app's `new_user`). */
  const newUser = ref(false)
  /** Why the user was signed out, to say so on the sign-in page. */
  const signedOutReason = ref<SignOutReason | null>(null)
  /** When this tab last learnt of new tokens (its own refresh or another tab's), epoch ms; 0 on the server. */
  const refreshedAt = ref(0)

  function setSignedIn(signedInUser: User, accessExpiresAt: string, isNewUser?: boolean) {
    user.value = signedInUser
    expiresAt.value = accessExpiresAt
    if (import.meta.client) refreshedAt.value = Date.now()
    status.value = 'signedIn'
    signedOutReason.value = null
    if (isNewUser !== undefined) newUser.value = isNewUser
  }

  function setSignedOut(reason: SignOutReason | null = null) {
    user.value = null
    expiresAt.value = null
    status.value = 'signedOut'
    newUser.value = false
    signedOutReason.value = reason
  }

  return { user, expiresAt, renderedAt, status, newUser, signedOutReason, refreshedAt, setSignedIn, setSignedOut }
})
