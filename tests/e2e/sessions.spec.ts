import type { Browser, Page } from '@playwright/test'
import { expect, signIn, test, waitForHydration } from '../fixtures/playwright'
import { uniqueEmail } from '../fixtures/google'

const LAPTOP = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0'

/** Device B (a laptop, in its own browser) on /notes, and device A on /sessions, one user. */
async function twoDevices(page: Page, browser: Browser, baseURL: string | undefined) {
  const email = uniqueEmail('two-devices')
  const laptop = await browser.newContext({ baseURL, userAgent: LAPTOP })
  const laptopPage = await laptop.newPage()
  await signIn(laptopPage, { email })
  await laptopPage.goto('/notes')
  await waitForHydration(laptopPage)

  await signIn(page, { email })
  await page.goto('/sessions')
  await expect(page.getByTestId('session')).toHaveCount(2)
  await waitForHydration(page)
  return { laptop, laptopPage }
}

/** Device A signs device B out from /sessions (confirming); the page says so only once the server has done it. */
async function signOutLaptop(page: Page) {
  await page.getByRole('button', { name: /^Sign out Firefox on Linux/ }).click()
  const confirm = page.getByRole('group', { name: 'Sign out Firefox on Linux?' }).getByRole('button', { name: 'Sign out', exact: true })
  await expect(confirm).toBeFocused()
  await confirm.click()
  await expect(page.getByRole('status').filter({ hasText: 'Firefox on Linux was signed out.' })).toBeVisible()
  await expect(page.getByTestId('session')).toHaveCount(1)
}

const SIGNED_OUT_FROM_NOTES = /\/signin\?redirect=(%2F|\/)notes&reason=session_revoked$/

test('a device signed out from /sessions: its next API call, with its access token unexpired, lands on /signin saying why', async ({ page, browser, baseURL }) => {
  const { laptop, laptopPage } = await twoDevices(page, browser, baseURL)
  await signOutLaptop(page)

  await laptopPage.getByLabel('New note').fill('written after being signed out')
  await laptopPage.getByRole('button', { name: 'Add note' }).click()
  await expect(laptopPage).toHaveURL(SIGNED_OUT_FROM_NOTES)
  await expect(laptopPage.getByText('This device was signed out from another device.')).toBeVisible()
  await laptopPage.keyboard.press('Escape')
  await laptopPage.screenshot({ path: 'test-results/screenshots/signed-out-from-another-device.png' })
  await laptop.close()

  // Nothing was written with the revoked session.
  await page.goto('/notes')
  await expect(page.getByText('written after being signed out')).toHaveCount(0)
})

test('a device signed out from /sessions: its next page load lands on /signin saying why, its cookies gone', async ({ page, browser, baseURL }) => {
  const { laptop, laptopPage } = await twoDevices(page, browser, baseURL)
  await signOutLaptop(page)

  await laptopPage.reload()
  await expect(laptopPage).toHaveURL(SIGNED_OUT_FROM_NOTES)
  await expect(laptopPage.getByText('This device was signed out from another device.')).toBeVisible()
  expect((await laptop.cookies()).filter(cookie => /auth_(access|refresh)/.test(cookie.name))).toEqual([])
  await laptop.close()
})

test('/sessions: this device first, on its own; another device is signed out only once confirmed', async ({ page, browser, baseURL }) => {
  const { laptop } = await twoDevices(page, browser, baseURL)
  const thisDevice = page.getByRole('region', { name: 'This device' })
  const others = page.getByRole('region', { name: 'Other devices' })
  await expect(thisDevice).toBeVisible()
  await expect(thisDevice.getByRole('button', { name: 'Sign out' })).toBeVisible()
  await expect(others.getByText('Firefox on Linux')).toBeVisible()
  // The sections come in that order on the page.
  const [mine, theirs] = await Promise.all([thisDevice.boundingBox(), others.boundingBox()])
  expect(mine!.y).toBeLessThan(theirs!.y)

  // Asking and cancelling changes nothing.
  await others.getByRole('button', { name: /^Sign out Firefox on Linux/ }).click()
  await page.getByRole('group', { name: 'Sign out Firefox on Linux?' }).getByRole('button', { name: 'Cancel' }).click()
  await page.reload()
  await expect(page.getByTestId('session')).toHaveCount(2)
  await laptop.close()
})
