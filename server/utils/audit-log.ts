import type { H3Event } from 'h3'
import { getRequestHeader, getRequestIP } from 'h3'

export type AuthEventName = 'sign_in' | 'sign_in_refused' | 'refresh_reused' | 'session_revoked' | 'sign_out' | 'key_rotated'

/**
 * One JSON line per security-relevant event, on stdout. Callers pass ids
 * and codes only: never a token, a credential or a secret.
 */
export function logAuthEvent(event: H3Event | null, name: AuthEventName, fields: Record<string, string | number | boolean | null>): void {
  const line = {
    time: new Date().toISOString(),
    event: name,
    ...fields,
    ...(event ? { ip: getRequestIP(event) ?? null, userAgent: getRequestHeader(event, 'user-agent')?.slice(0, 200) ?? null } : {}),
  }
  console.info(JSON.stringify(line))
}
