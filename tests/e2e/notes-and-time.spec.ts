import { expect, signIn, test, waitForHydration } from '../fixtures/playwright'

test.describe('in the reader\'s time zone (Asia/Taipei, UTC+8)', () => {
  test.use({ timezoneId: 'Asia/Taipei' })

  test('notes and devices show local times, not UTC', async ({ page }) => {
    await signIn(page)
    await page.goto('/notes')
    await waitForHydration(page)
    await page.getByLabel('New note').fill('what time is it')
    await page.getByRole('button', { name: 'Add note' }).click()
    for (const path of ['/notes', '/sessions']) {
      await page.goto(path)
      await waitForHydration(page)
      const time = page.locator('main time').first()
      const iso = await time.getAttribute('datetime')
      const taipei = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Taipei' }).format(new Date(iso!))
      await expect(time).toHaveText(taipei)
      await expect(page.locator('main')).not.toContainText('UTC')
    }
  })
})

test('a deleted note comes back with Undo, in its place', async ({ page }) => {
  await signIn(page)
  await page.goto('/notes')
  await waitForHydration(page)
  for (const text of ['older note', 'newer note']) {
    await page.getByLabel('New note').fill(text)
    await page.getByRole('button', { name: 'Add note' }).click()
    await expect(page.getByTestId('note').filter({ hasText: text })).toBeVisible()
  }
  await page.getByRole('button', { name: 'Delete note: older note' }).click()
  await expect(page.getByTestId('note')).toHaveCount(1)
  await expect(page.getByRole('status').filter({ hasText: 'Note deleted.' })).toBeVisible()
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Note deleted.' })).toHaveCount(0)
  await expect(page.getByTestId('note')).toHaveText([/newer note/, /older note/])
  // Restored on the server, not only on the page.
  await page.reload()
  await expect(page.getByTestId('note')).toHaveText([/newer note/, /older note/])
})
