import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { authErrorMessageKey, signOutMessageKey } from '../../../layers/auth/utils/api-errors'
import { SIGN_OUT_REASONS } from '../../../layers/auth/shared/sign-out-reason'
import type { ErrorCode } from '../../../layers/auth/shared/types/api'

type Messages = { [key: string]: string | Messages }
const read = (path: string): Messages => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'))
const LOCALES = {
  'the layer': { en: read('../../../layers/auth/i18n/locales/en.json'), zh: read('../../../layers/auth/i18n/locales/zh-TW.json') },
  'the app': { en: read('../../../i18n/locales/en.json'), zh: read('../../../i18n/locales/zh-TW.json') },
}

/** Every message's key and text, flattened: "signin.title" → "Sign in". */
function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === 'string') out.set(prefix + key, value)
    else for (const [inner, text] of flatten(value, `${prefix}${key}.`)) out.set(inner, text)
  }
  return out
}
/** The distinct `{name}` placeholders of a message (in any of its plural forms), sorted. */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map(match => match[1]))].sort()

describe.each(Object.entries(LOCALES))('the UI texts of %s', (_, { en, zh }) => {
  it('has every English message in Traditional Chinese, with the same placeholders, and nothing else', () => {
    const english = flatten(en)
    const chinese = flatten(zh)
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort())
    for (const [key, text] of english) {
      expect(chinese.get(key), key).toMatch(/\S/)
      expect(placeholders(chinese.get(key)!), key).toEqual(placeholders(text))
    }
  })
})

const ERROR_CODES: ErrorCode[] = ['invalid_request', 'invalid_credential', 'credential_replayed', 'account_not_allowed', 'csrf', 'rate_limited',
  'refresh_missing', 'refresh_invalid', 'refresh_reused', 'session_expired', 'session_revoked', 'unauthenticated', 'token_expired',
  'token_invalid', 'not_found', 'store_unavailable', 'google_unavailable', 'confirmation_mismatch']

describe('messages for server answers', () => {
  it('exist for every error code and sign-out reason, in both languages', () => {
    const { en, zh } = LOCALES['the layer']
    const keys = [...ERROR_CODES.map(code => authErrorMessageKey(code)), ...SIGN_OUT_REASONS.map(reason => signOutMessageKey(reason))]
    for (const key of keys) {
      expect(flatten(en).get(key), key).toBeDefined()
      expect(flatten(zh).get(key), key).toBeDefined()
    }
  })
})
