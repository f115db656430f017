import { LAST_REFRESH_KEY } from '../shared/constants'

interface AuthState {
  status: string
  expiresAt: string | null
}

interface RefreshRecord {
  at: number
  expiresAt: string | null
}

/**
 * Tabs coordinate refreshes under a Web Lock. The tab that refreshed records
 * when, and the new expiry, before it releases the lock, so the next tab to
 * take the lock sees it at once. IndexedDB, not localStorage: Chromium's
 * localStorage reaches other renderer processes late, and a BroadcastChannel
 * message may arrive after the lock. Not a secret: a time and an expiry.
 */
const DB_NAME = 'auth'
const STORE = 'coordination'

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

async function withStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDatabase()
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = use(db.transaction(STORE, mode).objectStore(STORE))
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
  }
  finally {
    db.close()
  }
}

async function write(record: RefreshRecord) {
  if (typeof indexedDB === 'undefined') return localStorage.setItem(LAST_REFRESH_KEY, JSON.stringify(record))
  await withStore('readwrite', store => store.put(record, LAST_REFRESH_KEY))
}

async function read(): Promise<RefreshRecord | null> {
  if (typeof indexedDB === 'undefined') return JSON.parse(localStorage.getItem(LAST_REFRESH_KEY) ?? 'null') as RefreshRecord | null
  return (await withStore<RefreshRecord | undefined>('readonly', store => store.get(LAST_REFRESH_KEY))) ?? null
}

/** Records this tab's refresh for the others (call before releasing the lock). */
export async function recordSharedRefresh(auth: AuthState): Promise<'refreshed'> {
  // Storage blocked or full: tabs then refresh each on their own, which is still correct.
  await write({ at: Date.now(), expiresAt: auth.expiresAt }).catch(() => undefined)
  return 'refreshed'
}

/** 'refreshed' when another tab refreshed after `since` (and adopts its expiry), else null. */
export async function readSharedRefresh(since: number, auth: AuthState): Promise<'refreshed' | null> {
  const last = await read().catch(() => null)
  if (!last || last.at <= since || !last.expiresAt || auth.status !== 'signedIn') return null
  auth.expiresAt = last.expiresAt
  return 'refreshed'
}
