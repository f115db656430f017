import { sendNoContent } from 'h3'
import { z } from 'zod'
import { isAccountConfirmed } from '../../../shared/account-confirmation'
import { clearAuthCookies } from '../../http/auth-cookies'
import { sessionRevokedError } from '../../http/errors'
import { useAuthServices } from '../../services'
import { requireActiveSession } from '../../sessions/require-active-session'

const deleteAccountBody = z.object({ confirm: z.string().max(512) })

/**
 * Deletes the caller's account and everything of theirs, once they have
 * typed its e-mail address: every session ends on every instance within the
 * revocation bound (the store keeps tombstones for the feed), and this
 * browser's cookies are cleared as sign-out clears them.
 */
export default defineEventHandler(async (event) => {
  const auth = await requireActiveSession(event)
  const { body } = await readValidBody(event, deleteAccountBody, { allowEmpty: true })
  const { store, config } = await useAuthServices()

  const user = await store.findUserById(auth.userId)
  if (user && !isAccountConfirmed(body.confirm, user.email)) {
    throw authError('confirmation_mismatch', 'Type this account\'s e-mail address to confirm its deletion.')
  }
  // Null when a concurrent request deleted it first: this session has ended with it.
  const ended = user && await store.deleteUser(user.id, Date.now())
  if (!ended) throw sessionRevokedError('account_deleted')

  logAuthEvent('account_deleted', { userId: auth.userId, sessionId: auth.sessionId, sessions: ended.length }, event)
  if (auth.transport === 'cookie') clearAuthCookies(event, config, { evenIfDuplicated: true })
  return sendNoContent(event)
})
