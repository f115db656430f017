import { ACCESS_COOKIE, expect, signIn, test, waitForHydration } from '../fixtures/playwright'
import { uniqueEmail } from '../fixtures/google'

test('revoking a device from /sessions signs the other browser out at its next refresh', async ({ page, browser, baseURL }) => {
  const email = uniqueEmail('two-devices')
  const laptop = await browser.newContext({ baseURL, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' })
  const laptopPage = await laptop.newPage()
  await signIn(laptopPage, { email })
  await laptopPage.goto('/notes')
  await waitForHydration(laptopPage)

  await signIn(page, { email })
  await page.goto('/sessions')
  await expect(page.getByTestId('session')).toHaveCount(2)
  await waitForHydration(page)
  await page.getByRole('button', { name: /^Sign out Firefox on Linux/ }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Firefox on Linux was signed out.' })).toBeVisible()
  await expect(page.getByTestId('session')).toHaveCount(1)

  // The laptop's access token runs out; its next call refreshes and learns the session is gone.
  await laptop.clearCookies({ name: ACCESS_COOKIE })
  await laptopPage.getByLabel('New note').fill('written after being signed out')
  await laptopPage.getByRole('button', { name: 'Add note' }).click()
  await expect(laptopPage).toHaveURL(/\/signin\?redirect=(%2F|\/)notes&reason=session_revoked$/)
  await expect(laptopPage.getByText('This device was signed out from another device.')).toBeVisible()
  await laptop.close()
})
