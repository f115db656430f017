import { describe, expect, it } from 'vitest'
import { isAccountConfirmed } from '../../../../layers/auth/shared/account-confirmation'

describe('confirming an account deletion by its e-mail address', () => {
  it('accepts the address as stored, in any ASCII case, with spaces around it', () => {
    expect(isAccountConfirmed('ada@example.com', 'ada@example.com')).toBe(true)
    expect(isAccountConfirmed('  Ada@Example.COM ', 'ada@example.com')).toBe(true)
  })

  it('refuses another address, a part of it, an empty answer, and non-ASCII look-alikes', () => {
    expect(isAccountConfirmed('bob@example.com', 'ada@example.com')).toBe(false)
    expect(isAccountConfirmed('ada@example', 'ada@example.com')).toBe(false)
    expect(isAccountConfirmed('', '')).toBe(false)
    expect(isAccountConfirmed('   ', 'ada@example.com')).toBe(false)
    // U+212A KELVIN SIGN lower-cases to "k" in JavaScript: not an ASCII letter, so not the same address.
    expect(isAccountConfirmed('\u212Aate@example.com', 'kate@example.com')).toBe(false)
  })
})
