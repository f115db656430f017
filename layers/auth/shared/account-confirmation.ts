import { asciiLowerCase } from './ascii-case'

/**
 * Whether what the owner typed confirms the deletion of the account with
 * this e-mail address (DELETE /api/auth/account): the same address, ignoring
 * surrounding spaces and the case of ASCII letters only (addresses are
 * stored with ASCII letters lower-cased). The dialog enables its button on
 * this rule, and the server applies it again.
 */
export function isAccountConfirmed(typed: string, email: string): boolean {
  return typed.trim() !== '' && asciiLowerCase(typed.trim()) === asciiLowerCase(email)
}
