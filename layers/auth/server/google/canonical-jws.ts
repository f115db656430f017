const BASE64URL = /^[A-Za-z0-9_-]+$/

/**
 * Whether a compact JWS is in its one canonical spelling: three segments,
 * each unpadded base64url that re-encodes to itself. google-auth-library
 * decodes with Node's lenient base64 decoder, which also takes padding, the
 * "+/" alphabet, whitespace and non-zero spare bits in the last character,
 * so without this check one signed token has many spellings. Re-encoding the
 * decoded bytes catches the spare bits, which the character set alone lets through.
 */
export function isCanonicalJws(token: string): boolean {
  const segments = token.split('.')
  return segments.length === 3
    && segments.every(segment => BASE64URL.test(segment) && Buffer.from(segment, 'base64url').toString('base64url') === segment)
}
