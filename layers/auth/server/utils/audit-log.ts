import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import { getClientIp } from '../http/client-ip'

export type AuthEventName = 'sign_in' | 'sign_in_refused' | 'refresh_reused' | 'session_revoked' | 'sign_out' | 'key_rotated' | 'rate_limited' | 'account_deleted'

/** Who is on the other end of a request, as recorded on sessions and in the audit log. */
export interface ClientInfo {
  ip: string | null
  userAgent: string | null
}

export function getClientInfo(event: H3Event): ClientInfo {
  return { ip: getClientIp(event), userAgent: getRequestHeader(event, 'user-agent') ?? null }
}

/**
 * One JSON line per security-relevant event, on stdout. Callers pass ids
 * and codes only: never a token, a credential or a secret.
 */
export function logAuthEvent(name: AuthEventName, fields: Record<string, string | number | boolean | null>, client?: ClientInfo | H3Event): void {
  const info = client && 'node' in client ? getClientInfo(client) : client
  const line = {
    time: new Date().toISOString(),
    event: name,
    ...fields,
    ...(info ? { ip: info.ip, userAgent: info.userAgent?.slice(0, 200) ?? null } : {}),
  }
  console.info(JSON.stringify(line))
}
