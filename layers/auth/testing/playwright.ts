import { test as base, expect } from '@playwright/test'
import type { Page } from '@playwright/test'
import type { CookieSignInResponse } from '../shared/types/api'
import { uniqueEmail } from './emulator'

export { expect }
export { EMULATOR_CLIENT_ID, mintGoogleCredential, uniqueEmail } from './emulator'
export type { EmulatedAccount } from './emulator'

export interface SignInOptions {
  email?: string
  name?: string
}

/**
 * Signs a page's browser context in through the app's real endpoints, as its
 * sign-in page does (nonce, emulator credential, POST /api/auth/google): the
 * HttpOnly cookies land in the context. Needs `baseURL` and the emulator on.
 * Faster than clicking through /signin; test that page once, not in every test.
 */
export async function signIn(page: Page, options: SignInOptions = {}): Promise<CookieSignInResponse> {
  const email = options.email ?? uniqueEmail()
  // Relative URLs resolve against the context's baseURL; page.request shares the context's cookies.
  const nonceResponse = await page.request.get('/api/auth/google/nonce')
  const { nonce } = await nonceResponse.json() as { nonce: string }
  const origin = new URL(nonceResponse.url()).origin
  const minted = await page.request.post('/_emulator/google/token', { data: { email, name: options.name, nonce } })
  expect(minted.status(), 'the Google emulator is off: set NUXT_AUTH_GOOGLE_EMULATOR=force for the test server').toBe(200)
  const { credential } = await minted.json() as { credential: string }
  const response = await page.request.post('/api/auth/google', { data: { credential }, headers: { origin } })
  expect(response.status(), await response.text()).toBe(200)
  return await response.json() as CookieSignInResponse
}

/**
 * Signs in on /signin the way a person does: Google's button (the emulator's),
 * "Use another account", e-mail and name. The page must be on /signin.
 */
export async function signInThroughPage(page: Page, options: SignInOptions = {}) {
  await waitForHydration(page)
  await page.getByTestId('gsi-emulator-button').click()
  await page.getByRole('dialog').getByTestId('gsi-emulator-other').click()
  await page.getByLabel('Email').fill(options.email ?? uniqueEmail())
  await page.getByLabel('Name').fill(options.name ?? 'Test User')
  await page.getByTestId('gsi-emulator-continue').click()
}

/** Resolves once Nuxt has hydrated the page, so that clicks reach Vue. */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as unknown as { useNuxtApp?: () => { isHydrating: boolean } }).useNuxtApp?.().isHydrating === false)
}

/**
 * Playwright's `test` with a `signedInPage`: a page already signed in as a
 * fresh user (needs `use: { baseURL }` pointing at the app).
 */
export const test = base.extend<{ signedInPage: Page }>({
  signedInPage: async ({ page }, use) => {
    await signIn(page)
    await use(page)
  },
})
