import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'

/**
 * Refresh tokens are 256 random bits. The store keeps only their SHA-256,
 * so reading the database does not reveal a usable token; a slow hash would
 * add nothing against a brute force of 2^256.
 */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/**
 * The grace window must hand a second presenter of the superseded token the
 * *same* successor, yet the database must not hold it readable. So the
 * successor is sealed (AES-256-GCM) with a key derived from the superseded
 * token: only someone who presents that token can open it.
 */
export function sealSuccessor(successor: string, supersededToken: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', successorKey(supersededToken), iv)
  const sealed = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()])
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url')
}

/** Opens what `sealSuccessor` sealed; null if the token does not fit the seal. */
export function openSuccessor(sealed: string, supersededToken: string): string | null {
  try {
    const bytes = Buffer.from(sealed, 'base64url')
    const decipher = createDecipheriv('aes-256-gcm', successorKey(supersededToken), bytes.subarray(0, 12))
    decipher.setAuthTag(bytes.subarray(bytes.length - 16))
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8')
  }
  catch {
    return null
  }
}

/** HKDF's empty salt: RFC 5869 §2.2 takes HashLen zero bytes. */
const NO_SALT = Buffer.alloc(32)
/** The info string, then the counter byte of the only output block needed (32 bytes: one SHA-256). */
const INFO_FIRST_BLOCK = Buffer.from('refresh-token-successor\x01', 'latin1')

/**
 * HKDF-SHA256(token, no salt, 'refresh-token-successor', 32 bytes), written
 * out as its two HMACs: byte for byte what `hkdfSync` returns (a unit test
 * holds them equal), at a third of its cost on every refresh, since
 * `hkdfSync` wraps the key in a KeyObject and runs a crypto job per call.
 */
function successorKey(token: string): Buffer {
  const pseudorandomKey = createHmac('sha256', NO_SALT).update(token).digest()
  return createHmac('sha256', pseudorandomKey).update(INFO_FIRST_BLOCK).digest()
}
