import { describe, expect, it } from 'vitest'
import { preferredLocale } from '../../../layers/auth/utils/preferred-locale'

const CODES = ['en', 'zh-TW']

describe('the language a browser asks for (Accept-Language)', () => {
  it.each([
    ['zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7', 'zh-TW'],
    ['zh-Hant-TW', 'zh-TW'],
    ['zh-HK, en;q=0.5', 'zh-TW'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR, zh-TW;q=0.4, en;q=0.6', 'en'],
    ['en;q=0.1, zh-TW', 'zh-TW'],
    ['EN-us', 'en'],
    ['fr, de', null],
    ['zh-TW;q=0, en', 'en'],
    ['*', null],
    ['', null],
    [null, null],
    [';;;, ,q=1', null],
  ])('%s → %s', (header, expected) => {
    expect(preferredLocale(header, CODES)).toBe(expected)
  })
})
