import type { CookieSignInResponse, DeleteAccountRequest } from '../shared/types/api'
import type { AuthMessage } from '../utils/auth-messages'

/** Sign in, sign out and the signed-in user, for pages and components. */
export function useAuth() {
  const nuxtApp = useNuxtApp()
  const auth = useAuthStore()
  const preferences = usePreferencesStore()
  const broadcast = (message: AuthMessage) => (nuxtApp.$authBroadcast as ((m: AuthMessage) => void) | undefined)?.(message)

  /** Exchanges a Google credential for a session (cookie transport: no token reaches this page). */
  async function signInWithCredential(credential: string): Promise<CookieSignInResponse> {
    const body = await nuxtApp.$api<CookieSignInResponse>('/api/auth/google', { method: 'POST', body: { credential } })
    auth.setSignedIn(body.user, localExpiry(body.expiresIn), body.newUser)
    preferences.lastEmail = body.user.email
    broadcast({ type: 'signed-in', user: body.user, expiresAt: auth.expiresAt! })
    return body
  }

  /**
   * Ends this device's session everywhere it is open (every tab), then shows
   * the sign-in page. Throws, and leaves the user signed in, when the server
   * could not confirm it: pretending would leave valid cookies on a shared computer.
   */
  async function signOut() {
    try {
      await nuxtApp.$api('/api/auth/signout', { method: 'POST' })
    }
    catch (error) {
      // A 401 means there was no session left to end: signed out all the same.
      if (apiErrorStatus(error) !== 401) throw error
    }
    // Only now, with the server's answer: every tab says "You are signed out", and the sign-in page
    // turns Google's automatic sign-in off and does not offer One Tap for the account just left.
    auth.setSignedOut('you_signed_out')
    broadcast({ type: 'signed-out', reason: 'you_signed_out' })
    await navigateTo('/signin')
  }

  /**
   * Deletes the signed-in account (`confirm`: its e-mail address, as typed).
   * Only once the server has answered 204: every tab is signed out and this
   * one shows the sign-in page saying so. Throws, changing nothing here, when
   * it did not (a network failure, a 4xx such as `confirmation_mismatch`).
   */
  async function deleteAccount(confirm: string) {
    const body: DeleteAccountRequest = { confirm }
    await nuxtApp.$api('/api/auth/account', { method: 'DELETE', body })
    auth.setSignedOut('account_deleted')
    // The sign-in page's hint would name an account that no longer exists.
    preferences.lastEmail = null
    // The sign-in page then says so, without One Tap or Google's auto sign-in (as after signing out).
    broadcast({ type: 'signed-out', reason: 'account_deleted' })
    await navigateTo({ path: '/signin', query: signInQuery('/', 'account_deleted') })
  }

  return {
    user: computed(() => auth.user),
    status: computed(() => auth.status),
    signInWithCredential,
    signOut,
    deleteAccount,
  }
}
