import { expect, signIn, test, waitForHydration } from '../fixtures/playwright'

test.describe('a browser that prefers Traditional Chinese', () => {
  test.use({ locale: 'zh-TW' })

  test('gets the sign-in page in 繁體中文 from the first byte, Google\'s button and chooser included', async ({ page }) => {
    const response = await page.goto('/signin')
    const html = await response!.text()
    expect(html).toMatch(/<html[^>]* lang="zh-TW"/)
    expect(html).toContain('使用你的 Google 帳戶繼續前往')
    await waitForHydration(page)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('登入')
    await expect(page).toHaveTitle('登入 · Nuxt Notes')
    const button = page.getByTestId('gsi-emulator-button')
    await expect(button).toHaveText('使用 Google 帳戶登入')
    await page.keyboard.press('Escape')
    await button.click()
    await expect(page.locator('[role=dialog][aria-modal=true]').getByRole('heading')).toHaveText('選擇帳戶')
  })
})

test('switching the language in the header menu: the page changes at once, and later pages render in it', async ({ page }) => {
  await signIn(page)
  await page.goto('/notes')
  await waitForHydration(page)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notes')
  await page.getByRole('button', { name: /Account menu/ }).click()
  await page.getByLabel('Language').selectOption('zh-TW')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('筆記')
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW')

  // Remembered: the next page's first HTML is already in it.
  const response = await page.goto('/sessions')
  expect(await response!.text()).toContain('已登入的裝置')
  await waitForHydration(page)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('已登入的裝置')

  // And back.
  await page.getByRole('button', { name: /帳戶選單/ }).click()
  await page.getByLabel('語言').selectOption('en')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Signed-in devices')
})
