import type { Pinia } from 'pinia'
import { AUTH_CHANNEL } from '#shared/constants'
import type { AuthMessage } from '~/utils/auth-messages'
import type { RefreshResult } from './api'

/** The api plugin's injections (a plugin cannot see its siblings' inferred types). */
interface ApiInjections {
  $refreshSession: () => Promise<RefreshResult>
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
    const router = useRouter()
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(AUTH_CHANNEL) : null

    channel?.addEventListener('message', ({ data }: MessageEvent<AuthMessage>) => {
      if (data.type === 'signed-out') {
        auth.setSignedOut(data.reason)
        void $goToSignIn()
        return
      }
      auth.setSignedIn(data.user, data.expiresAt)
      // Signed in elsewhere: a sign-in page here has nothing left to do.
      const route = router.currentRoute.value
      if (data.type === 'signed-in' && route.meta.auth === 'guest') {
        void navigateTo(safeRedirectPath(route.query.redirect))
      }
    })

    let timer: ReturnType<typeof setTimeout> | undefined
    const refreshIfDue = () => {
      if (document.visibilityState !== 'visible' || auth.status !== 'signedIn' || !isRefreshDue(auth.expiresAt, Date.now())) return
      $refreshSession().then(
        result => result === 'signed-out' ? $goToSignIn() : undefined,
        () => undefined, // Offline: try again when the browser says it is back.
      )
    }
    const schedule = () => {
      clearTimeout(timer)
      if (auth.status === 'signedIn' && auth.expiresAt) timer = setTimeout(refreshIfDue, refreshDelay(auth.expiresAt, Date.now()))
    }
    watch(() => [auth.status, auth.expiresAt], schedule, { immediate: true })
    for (const [target, name] of [[document, 'visibilitychange'], [window, 'online'], [window, 'pageshow'], [window, 'focus']] as const) {
      target.addEventListener(name, refreshIfDue)
    }

    return { provide: { authBroadcast: (message: AuthMessage) => channel?.postMessage(message) } }
  },
})
