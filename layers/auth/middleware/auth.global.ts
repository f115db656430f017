/**
 * Pages are for signed-in users unless they opt out:
 * `definePageMeta({ auth: false })` for public pages, `{ auth: 'guest' }`
 * for pages only signed-out users need (signed-in users go home, or to the
 * `redirect` they were heading for). Runs on the server and in the browser.
 */
export default defineNuxtRouteMiddleware(async (to) => {
  const rule = to.meta.auth ?? true
  // No such page (pages/[...slug].vue is public; an unmatched route cannot occur any more): let the 404 show, whoever asks.
  if (rule === false || to.matched.length === 0) return
  const auth = useAuthStore()
  // Only when the server could not tell (it always tries): ask with a refresh.
  if (auth.status === 'unknown' && import.meta.client) await useNuxtApp().$refreshSession(Date.now()).catch(() => undefined)

  if (rule === 'guest') {
    if (auth.status === 'signedIn') return navigateTo(safeRedirectPath(to.query.redirect))
    return
  }
  if (auth.status !== 'signedIn') {
    // The reason travels in the URL: a server-side redirect starts a new page, and a new store.
    return navigateTo({ path: '/signin', query: signInQuery(to.fullPath, auth.signedOutReason) })
  }
})
