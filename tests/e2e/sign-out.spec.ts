import type { Locator, Page } from '@playwright/test'
import { expect, signIn, test, waitForHydration } from '../fixtures/playwright'

/** The emulator's One Tap card (a non-modal dialog; the button's chooser is modal). */
const oneTapOf = (page: Page) => page.locator('[role=dialog][aria-modal=false]')

/** True when the middle of `locator` is what a tap there would hit (nothing drawn over it). */
async function isUncovered(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect()
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
    return hit !== null && (element === hit || element.contains(hit))
  })
}

test.describe('signing out', () => {
  test('says so in this tab and the others, and offers no One Tap for the account just left', async ({ page, context }) => {
    await signIn(page)
    const otherTab = await context.newPage()
    await otherTab.goto('/notes')
    await waitForHydration(otherTab)

    await page.goto('/account')
    await waitForHydration(page)
    await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click()

    for (const tab of [page, otherTab]) {
      await expect(tab).toHaveURL(/\/signin(\?|$)/)
      await expect(tab.getByRole('status').filter({ hasText: 'You are signed out.' })).toBeVisible()
      // The button is there; One Tap is not, and Google's automatic sign-in is off (the emulator keeps it as Google does).
      await expect(tab.getByTestId('gsi-emulator-button')).toBeVisible()
      await expect(oneTapOf(tab)).toHaveCount(0)
      expect(await tab.evaluate(() => localStorage.getItem('gsi-emulator:no-auto'))).toBe('1')
    }

    // A later visit offers One Tap again, but only a tap signs in: nothing happens by itself.
    await page.reload()
    await waitForHydration(page)
    await expect(oneTapOf(page)).toBeVisible()
    await expect(page.getByRole('status').filter({ hasText: 'You are signed out.' })).toHaveCount(0)
    await expect(page).toHaveURL(/\/signin$/)
  })

  test('the message waits for the server: while it cannot be reached, the user stays signed in and is told why', async ({ page }) => {
    await signIn(page)
    await page.goto('/account')
    await waitForHydration(page)
    await page.route('**/api/auth/signout', route => route.abort('connectionrefused'))
    await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click()
    await expect(page.getByRole('alert')).toBeVisible()
    await expect(page).toHaveURL(/\/account$/)
    await expect(page.getByText('You are signed out.')).toHaveCount(0)
  })
})

for (const viewport of [{ width: 390, height: 844 }, { width: 768, height: 1024 }]) test.describe(`One Tap on a phone or tablet (${viewport.width}×${viewport.height})`, () => {
  test.use({ viewport })

  test('is a bottom sheet: the page\'s notice and sign-in button stay visible and tappable', async ({ page }) => {
    await page.goto('/signin?reason=session_revoked')
    await waitForHydration(page)
    await expect(oneTapOf(page)).toBeVisible()
    const notice = page.getByRole('status').filter({ hasText: 'signed out from another device' })
    const button = page.getByTestId('gsi-emulator-button')
    await expect(notice).toBeVisible()
    await expect(button).toBeVisible()
    expect(await isUncovered(notice)).toBe(true)
    expect(await isUncovered(button)).toBe(true)
    const sheet = await oneTapOf(page).boundingBox()
    expect(sheet!.y + sheet!.height).toBeCloseTo(viewport.height, 0)
    // And the button works with the sheet open.
    await button.click()
    await expect(page.locator('[role=dialog][aria-modal=true]')).toBeVisible()
  })
})
