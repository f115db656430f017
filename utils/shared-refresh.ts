import { LAST_REFRESH_KEY } from '#shared/constants'

interface AuthState {
  status: string
  expiresAt: string | null
}

/**
 * Tabs coordinate refreshes under a Web Lock. The tab that refreshed notes
 * when, and the new expiry, in localStorage before it releases the lock, so
 * the next tab to take the lock sees it at once (a BroadcastChannel message
 * may arrive after the lock). Not a secret: a time and an expiry.
 */
export function recordSharedRefresh(auth: AuthState): 'refreshed' {
  try {
    localStorage.setItem(LAST_REFRESH_KEY, JSON.stringify({ at: Date.now(), expiresAt: auth.expiresAt }))
  }
  catch {
    // Storage full or blocked: tabs then refresh each on their own, which is still correct.
  }
  return 'refreshed'
}

/** 'refreshed' when another tab refreshed after `since` (and adopts its expiry), else null. */
export function readSharedRefresh(since: number, auth: AuthState): 'refreshed' | null {
  try {
    const last = JSON.parse(localStorage.getItem(LAST_REFRESH_KEY) ?? 'null') as { at: number, expiresAt: string | null } | null
    if (!last || last.at <= since || !last.expiresAt || auth.status !== 'signedIn') return null
    auth.expiresAt = last.expiresAt
    return 'refreshed'
  }
  catch {
    return null
  }
}
