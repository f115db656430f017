import { revocationReasonOf } from '../../shared/sign-out-reason'
import type { KeyPurpose, RevokedSession, SessionRow, SigningKeyRow, UserRow } from './types'

/** A database row as a driver returns it: snake_case columns; PostgreSQL's BIGINTs arrive as strings. */
export type Row = Record<string, unknown>

const time = (value: unknown): number => Number(value)
const maybeTime = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value))

export function toUser(row: Row): UserRow {
  return {
    id: row.id as string,
    googleSub: row.google_sub as string,
    email: row.email as string,
    name: row.name as string,
    picture: row.picture as string | null,
    createdAt: time(row.created_at),
    lastSignInAt: time(row.last_sign_in_at),
  }
}

export function toSession(row: Row): SessionRow {
  return {
    id: row.id as string,
    userId: row.user_id as string,
    refreshHash: row.refresh_hash as string,
    previousHash: row.previous_hash as string | null,
    previousRotatedAt: maybeTime(row.previous_rotated_at),
    successorSealed: row.successor_sealed as string | null,
    createdAt: time(row.created_at),
    lastUsedAt: time(row.last_used_at),
    expiresAt: time(row.expires_at),
    revokedAt: maybeTime(row.revoked_at),
    revokedReason: revocationReasonOf(row.revoked_reason),
    userAgent: row.user_agent as string | null,
    ip: row.ip as string | null,
  }
}

export function toSessionOrNull(row: unknown): SessionRow | null {
  return row ? toSession(row as Row) : null
}

export function toKey(row: Row): SigningKeyRow {
  return {
    kid: row.kid as string,
    purpose: row.purpose as KeyPurpose,
    alg: row.alg as string,
    publicJwk: row.public_jwk as string,
    privateJwk: row.private_jwk as string,
    createdAt: time(row.created_at),
    retiredAt: maybeTime(row.retired_at),
  }
}

export function toRevokedSession(row: Row): RevokedSession {
  return { id: row.id as string, revokedAt: time(row.revoked_at), reason: revocationReasonOf(row.revoked_reason) }
}
