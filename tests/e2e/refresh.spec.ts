import type { BrowserContext, Page } from '@playwright/test'
import { ACCESS_COOKIE, expect, signIn, test, waitForHydration } from '../fixtures/playwright'

type AppWindow = Window & { useNuxtApp: () => { $api: (url: string) => Promise<unknown>, $refreshSession: () => Promise<string> } }

/** Records every POST /api/auth/refresh a page (or every page of a context) sends. */
function countRefreshes(target: Pick<Page | BrowserContext, 'on'>) {
  const seen: string[] = []
  ;(target as BrowserContext).on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/auth/refresh')) seen.push(request.url())
  })
  return seen
}

test.describe('refresh on 401', () => {
  test('10 API calls failing together cause exactly one refresh, and all 10 succeed', async ({ page, context }) => {
    await signIn(page)
    await page.goto('/notes')
    await waitForHydration(page)
    const refreshes = countRefreshes(page)
    // The access cookie is gone, as when it expires: every call answers 401 first.
    await context.clearCookies({ name: ACCESS_COOKIE })
    const results = await page.evaluate(async () => {
      const { $api } = (window as unknown as AppWindow).useNuxtApp()
      const settled = await Promise.allSettled(Array.from({ length: 10 }, () => $api('/api/notes')))
      return settled.map(result => result.status)
    })
    expect(results).toEqual(Array.from({ length: 10 }, () => 'fulfilled'))
    expect(refreshes).toHaveLength(1)
    test.info().annotations.push({ type: 'refresh requests for 10 parallel 401s', description: String(refreshes.length) })
  })

  test('an expired access token is refreshed transparently when the page loads data', async ({ page, context }) => {
    await signIn(page, { name: 'Transparent Refresh' })
    await page.goto('/')
    await waitForHydration(page)
    await context.clearCookies({ name: ACCESS_COOKIE })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click()
    await expect(page).toHaveURL(/\/sessions$/)
    await expect(page.getByTestId('session')).toHaveCount(1)
    await expect(page.getByText('This device', { exact: true })).toBeVisible()
  })
})

test.describe('several tabs', () => {
  test('two tabs needing a refresh at once share one', async ({ context, page }) => {
    await signIn(page)
    const second = await context.newPage()
    await page.goto('/notes')
    await second.goto('/sessions')
    await Promise.all([waitForHydration(page), waitForHydration(second)])
    const refreshes = countRefreshes(context)
    await context.clearCookies({ name: ACCESS_COOKIE })
    const call = (tab: Page) => tab.evaluate(() => (window as unknown as AppWindow).useNuxtApp().$api('/api/auth/sessions').then(() => 'ok'))
    expect(await Promise.all([call(page), call(second)])).toEqual(['ok', 'ok'])
    expect(refreshes).toHaveLength(1)
  })

  test('signing out in one tab sends the other to /signin without user action', async ({ context, page }) => {
    await signIn(page)
    const other = await context.newPage()
    await other.goto('/notes')
    await page.goto('/account')
    await Promise.all([waitForHydration(page), waitForHydration(other)])
    await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click()
    await expect(page).toHaveURL(/\/signin$/)
    await expect(other).toHaveURL(/\/signin\?redirect=(%2F|\/)notes&reason=you_signed_out$/)
    await expect(other.getByRole('status').filter({ hasText: 'You are signed out.' })).toBeVisible()
  })

  test('signing in on one tab moves the other tab\'s sign-in page home', async ({ context, page }) => {
    const other = await context.newPage()
    await page.goto('/signin')
    await other.goto('/signin')
    await Promise.all([waitForHydration(page), waitForHydration(other)])
    await page.getByTestId('gsi-emulator-button').click()
    await page.locator('[role=dialog][aria-modal=true]').getByTestId('gsi-emulator-account').first().click()
    await expect(page).toHaveURL(/\/$/)
    await expect(other).toHaveURL(/\/$/)
    await expect(other.getByRole('heading', { level: 1 })).toContainText('Welcome')
  })
})
