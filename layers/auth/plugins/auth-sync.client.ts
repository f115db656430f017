import type { Pinia } from 'pinia'
import { AUTH_CHANNEL } from '../shared/constants'
import type { AuthMessage } from '../utils/auth-messages'
import type { RefreshResult } from './api'

/** The api plugin's injections (a plugin cannot see its siblings' inferred types). */
interface ApiInjections {
  $refreshSession: (since: number) => Promise<RefreshResult>
  $goToSignIn: () => Promise<void>
}

/**
 * Keeps this tab's session fresh and in step with the other tabs:
 * - refreshes shortly before the access token expires, while visible;
 * - on coming back (visible again, online, restored from the back-forward
 *   cache, or after a sleep that delayed the timer) refreshes if due;
 * - BroadcastChannel: another tab's sign-in, refresh and sign-out apply here.
 */
export default defineNuxtPlugin({
  name: 'auth-sync',
  dependsOn: ['api'],
  setup(nuxtApp) {
    const auth = useAuthStore(nuxtApp.$pinia as Pinia)
    const { $refreshSession, $goToSignIn } = nuxtApp as unknown as ApiInjections
    // The server rendered this page with its own clock: move the expiry onto ours.
    if (auth.renderedAt && auth.expiresAt) {
      auth.expiresAt = rebaseExpiry(auth.expiresAt, auth.renderedAt, Date.now())
      auth.renderedAt = 0
    }
    const router = useRouter()
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(AUTH_CHANNEL) : null

    channel?.addEventListener('message', ({ data }: MessageEvent<AuthMessage>) => {
      if (data?.type === 'signed-out') {
        // Learnt by a request that left before this tab heard of a newer sign-in or refresh: not about the cookies now.
        if (data.since !== undefined && auth.refreshedAt > data.since) return
        auth.setSignedOut(data.reason)
        void $goToSignIn()
        return
      }
      if (data?.type !== 'signed-in' && data?.type !== 'refreshed') return
      auth.setSignedIn(data.user, data.expiresAt)
      // Signed in (the cookies are shared, so a refresh elsewhere means this browser is signed in too):
      // a sign-in page here has nothing left to do.
      const route = router.currentRoute.value
      if (route.meta.auth === 'guest') void navigateTo(safeRedirectPath(route.query.redirect))
    })

    let timer: ReturnType<typeof setTimeout> | undefined
    /** When the next refresh is due, epoch ms: a timer may fire late or never (sleep, background), so events check it too. */
    let dueAt = Number.POSITIVE_INFINITY
    /** Failed attempts in a row (offline, server busy): each waits longer before the next. */
    let failures = 0
    const dueIn = (delay: number) => {
      clearTimeout(timer)
      dueAt = Date.now() + delay
      timer = setTimeout(refreshIfDue, delay)
    }
    function refreshIfDue() {
      if (document.visibilityState !== 'visible' || auth.status !== 'signedIn' || Date.now() < dueAt) return
      dueAt = Number.POSITIVE_INFINITY
      $refreshSession(Date.now()).then(
        (result) => {
          failures = 0
          if (result === 'signed-out') void $goToSignIn()
        },
        () => dueIn(retryDelay(++failures)),
      )
    }
    const schedule = () => {
      clearTimeout(timer)
      dueAt = Number.POSITIVE_INFINITY
      if (auth.status === 'signedIn' && auth.expiresAt) dueIn(refreshDelay(auth.expiresAt, Date.now()))
    }
    watch(() => [auth.status, auth.expiresAt], schedule, { immediate: true })
    for (const [target, name] of [[document, 'visibilitychange'], [window, 'online'], [window, 'pageshow'], [window, 'focus']] as const) {
      target.addEventListener(name, refreshIfDue)
    }

    return { provide: { authBroadcast: (message: AuthMessage) => channel?.postMessage(message) } }
  },
})
