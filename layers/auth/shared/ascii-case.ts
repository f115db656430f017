/**
 * Lower-cases A-Z and nothing else. `String.prototype.toLowerCase` also folds
 * non-ASCII letters, some of them into ASCII: U+212A KELVIN SIGN becomes "k",
 * so `admin@\u212Aorp.com` would match an allow-list entry `admin@korp.com`.
 * E-mail addresses and domains compare exactly except for ASCII case.
 */
export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, letters => letters.toLowerCase())
}
