import type { SessionRow, UserRow } from '../store/types'
import type { AuthServices } from '../services'
import { startAuthSession } from './auth-sessions'
import { errorCodeOf } from '../http/errors'
import { credentialReplayKey, isGoogleAccountAllowed, legacyCredentialReplayKey } from '../google/google-credentials'
import { logAuthEvent } from '../utils/audit-log'
import type { ClientInfo } from '../utils/audit-log'
import { authError } from '../utils/auth-error'

export interface SignInOptions {
  client: ClientInfo
  /** Whether the credential's `nonce` was issued to this browser, when the sign-in must be bound to it; undefined = not bound. */
  isNonceValid?: (nonce: string | null) => boolean
}

/** A completed sign-in: the user, their new session and its first tokens. */
export interface IssuedSession {
  user: UserRow
  newUser: boolean
  session: Pick<SessionRow, 'id' | 'expiresAt'>
  refreshToken: string
  accessToken: string
  /** Epoch ms. */
  accessExpiresAt: number
}

/**
 * Signs a person in with a Google ID token (docs/api.md, POST /api/auth/google):
 * verify, nonce, allow-lists, single use, then the user and a new session.
 * The credential is burnt only once every other check has passed, so a
 * credential refused for its nonce cannot be used to lock its owner out.
 */
export async function signInWithGoogle(services: AuthServices, credential: string, options: SignInOptions): Promise<IssuedSession> {
  const { config, store } = services
  const identity = await services.verifyGoogleCredential(credential).catch((error: unknown) => {
    refuse(options.client, errorCodeOf(error) ?? 'invalid_credential', 'verification')
    throw error
  })

  if (options.isNonceValid && !options.isNonceValid(identity.nonce)) {
    refuse(options.client, 'invalid_credential', 'nonce')
    throw authError('invalid_credential', 'The Google credential was not issued to this browser; reload the sign-in page and try again.')
  }
  if (!isGoogleAccountAllowed(identity, config.allowedDomains, config.allowedEmails)) {
    refuse(options.client, 'account_not_allowed')
    throw authError('account_not_allowed', 'This Google account is not allowed to sign in here.')
  }
  // Expires with the credential (plus leeway): after that the verifier refuses it anyway.
  const recordUntil = (identity.exp + 60) * 1000
  const firstUse = await store.recordOnce(credentialReplayKey(credential), recordUntil)
  const firstUseByOldKey = await store.recordOnce(legacyCredentialReplayKey(credential), recordUntil)
  if (!firstUse || !firstUseByOldKey) {
    refuse(options.client, 'credential_replayed')
    throw authError('credential_replayed', 'This Google credential has already been used; sign in again.')
  }

  const now = Date.now()
  const { user, created } = await store.upsertGoogleUser(
    { googleSub: identity.sub, email: identity.email, name: identity.name, picture: identity.picture }, now)
  const { session, refreshToken } = await startAuthSession(store, config, {
    userId: user.id,
    ...options.client,
    now,
  })
  const access = await signAccessToken(services, user, session, now)
  logAuthEvent('sign_in', { userId: user.id, sessionId: session.id, newUser: created }, options.client)
  return { user, newUser: created, session, refreshToken, accessToken: access.token, accessExpiresAt: access.expiresAt }
}

/** An access token for a session, carrying the profile so that GET /api/auth/me needs no store. */
export function signAccessToken(services: AuthServices, user: UserRow, session: Pick<SessionRow, 'id' | 'expiresAt'> & { lastUsedAt?: number }, now = Date.now()) {
  // A token handed out again in the grace window was minted for a use that did not move `lastUsedAt`.
  const lastUsedAt = session.lastUsedAt ?? now
  return services.accessTokens.sign({
    sub: user.id,
    sid: session.id,
    email: user.email,
    name: user.name,
    picture: user.picture,
    session_exp: Math.floor(session.expiresAt / 1000),
  }, now, Math.floor((lastUsedAt + services.config.sessionIdleTtl * 1000) / 1000))
}

function refuse(client: ClientInfo, code: string, detail?: string) {
  logAuthEvent('sign_in_refused', { code, ...(detail ? { detail } : {}) }, client)
}
