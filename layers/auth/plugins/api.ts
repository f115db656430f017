import type { FetchOptions } from 'ofetch'
import type { Pinia } from 'pinia'
import type { Router } from 'vue-router'
import { AUTH_ENDPOINTS_WITHOUT_RETRY, REFRESH_LOCK } from '../shared/constants'
import type { CookieRefreshResponse } from '../shared/types/api'
import type { SignOutReason } from '../shared/sign-out-reason'
import type { AuthMessage } from '../utils/auth-messages'

export type RefreshResult = 'refreshed' | 'signed-out'

/** `$fetch` for app-relative API paths, without Nitro's typed-route inference (too deep for a catch-all route). */
export type ApiFetch = <T = unknown>(request: string, options?: FetchOptions<'json'>) => Promise<T>

/**
 * `$api`: `$fetch` for the app's own API. On a 401 it awaits one shared
 * refresh and retries the request once; any number of requests failing
 * together cause one `POST /api/auth/refresh`, and across tabs one refresh
 * runs at a time (Web Locks). When the refresh fails the user is signed out
 * and sent to /signin. During SSR it forwards the browser's cookies, with
 * any renewed in this same request in place of the retired ones.
 */
export default defineNuxtPlugin({
  name: 'api',
  dependsOn: ['pinia'],
  setup(nuxtApp) {
    const auth = useAuthStore(nuxtApp.$pinia as Pinia)
    const cookieHeader = import.meta.server
      ? withCookies(useRequestHeaders(['cookie']).cookie, useRequestEvent()?.context.pageSession?.renewedCookies ?? {})
      : undefined
    const broadcast = (message: AuthMessage) => (nuxtApp.$authBroadcast as ((m: AuthMessage) => void) | undefined)?.(message)

    const raw = $fetch.create({
      onRequest({ options }) {
        if (cookieHeader) options.headers.set('cookie', cookieHeader)
      },
    }) as unknown as ApiFetch

    /** This browser's session has ended, as learnt by a request that left at `since`: every tab shows it. */
    function signedOut(reason: SignOutReason | null, since: number) {
      auth.setSignedOut(reason)
      broadcast({ type: 'signed-out', reason, since })
    }

    async function refreshNow(): Promise<RefreshResult> {
      const startedAt = Date.now()
      try {
        // A hung refresh would hold the lock, and every tab's requests with it.
        const body = await raw<CookieRefreshResponse>('/api/auth/refresh', { method: 'POST', timeout: 15_000 })
        auth.setSignedIn(body.user, localExpiry(body.expiresIn))
        await recordSharedRefresh(auth)
        broadcast({ type: 'refreshed', user: body.user, expiresAt: auth.expiresAt! })
        return 'refreshed'
      }
      catch (error) {
        // Only a 401 means signed out; a network failure leaves the session as it was.
        if (apiErrorStatus(error) !== 401) throw error
        signedOut(signOutReasonOfError(error), startedAt)
        return 'signed-out'
      }
    }

    /**
     * One refresh for this tab's concurrent callers and, under a Web Lock, one
     * at a time across tabs. `since`: when the need arose (the failing
     * request's start); a refresh another tab finished after it counts as done.
     */
    const refreshSession = singleFlight(async (since: number): Promise<RefreshResult> => {
      const run = async () => await readSharedRefresh(since, auth) ?? refreshNow()
      return navigator.locks ? navigator.locks.request(REFRESH_LOCK, run) : run()
    })

    /** Sends a signed-out user to /signin, back to the current page afterwards, unless the page is public. */
    async function goToSignIn() {
      // The router's route, not Nuxt's `_route`: that one lags until a pending page has finished loading.
      const route = (nuxtApp.$router as Router).currentRoute.value
      if (route.meta.auth === false || route.meta.auth === 'guest') return
      await nuxtApp.runWithContext(() => navigateTo({ path: '/signin', query: signInQuery(route.fullPath, auth.signedOutReason) }))
    }

    const api: ApiFetch = async <T>(request: string, options?: FetchOptions<'json'>) => {
      const startedAt = Date.now()
      try {
        return await raw<T>(request, options)
      }
      catch (error) {
        const path = request.split('?')[0]!
        if (import.meta.server || AUTH_ENDPOINTS_WITHOUT_RETRY.includes(path)) throw error
        // The session has ended (revoked from another device, say): no refresh can cure that,
        // unless this browser has signed in (or refreshed) since the request left: then its
        // cookies are not the ones the verdict was about, and the retry alone will do.
        const ended = signOutReasonOfError(error)
        if (ended && auth.refreshedAt > startedAt) return await raw<T>(request, options)
        if (ended) {
          signedOut(ended, startedAt)
          await goToSignIn()
          throw error
        }
        if (!isRefreshable(error)) throw error
        // If a refresh finished after this request left, the retry alone will do.
        if (auth.refreshedAt <= startedAt && await refreshSession(startedAt) === 'signed-out') {
          await goToSignIn()
          throw error
        }
        return await raw<T>(request, options)
      }
    }

    return { provide: { api, refreshSession, goToSignIn } }
  },
})
