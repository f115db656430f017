import type { Pinia } from 'pinia'

/**
 * SSR: the server middleware has already settled the session of this page
 * request (refreshing in-process if needed); copy it into the store, so the
 * route middleware decides on the server and the first paint is signed in.
 */
export default defineNuxtPlugin({
  name: 'auth-server',
  dependsOn: ['pinia'],
  setup(nuxtApp) {
    const session = useRequestEvent()?.context.pageSession
    const auth = useAuthStore(nuxtApp.$pinia as Pinia)
    if (session?.user && session.expiresAt) {
      auth.setSignedIn(session.user, session.expiresAt)
      auth.renderedAt = session.renderedAt
    }
    else if (session) auth.setSignedOut(session.signedOutReason)
    useGoogleSignInConfig().value = session?.google ?? null
  },
})
