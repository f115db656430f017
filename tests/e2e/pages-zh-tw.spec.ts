import type { Page } from '@playwright/test'
import { expect, signIn, test, waitForHydration } from '../fixtures/playwright'

const WIDTHS = [{ width: 1280, height: 800 }, { width: 390, height: 844 }]

/** Saves a screenshot as a test artifact, after checking the page does not scroll sideways. */
async function capture(page: Page, name: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0)
  await page.screenshot({ path: `test-results/screenshots/zh-TW/${name}-${page.viewportSize()!.width}.png`, fullPage: true })
}

for (const viewport of WIDTHS) {
  test.describe(`every page in 繁體中文 at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport, locale: 'zh-TW' })

    test('signed out and signed in', async ({ page, browser, baseURL }) => {
      await page.goto('/signin?reason=session_revoked')
      await waitForHydration(page)
      await expect(page.getByRole('status').filter({ hasText: '這部裝置已從另一部裝置登出。' })).toBeVisible()
      await capture(page, 'signin-one-tap')
      await page.keyboard.press('Escape')
      await page.getByTestId('gsi-emulator-button').click()
      await expect(page.locator('[role=dialog][aria-modal=true]')).toBeVisible()
      await capture(page, 'signin-chooser')
      await page.goto('/no-such-page')
      await expect(page.getByRole('heading', { name: '找不到網頁' })).toBeVisible()
      await capture(page, 'not-found')

      const email = `zh-${viewport.width}-${Date.now()}@example.com`
      const other = await browser.newContext({ baseURL, locale: 'zh-TW', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' })
      await signIn(await other.newPage(), { email, name: '林家豪' })
      await signIn(page, { email, name: '林家豪' })
      await page.goto('/')
      await waitForHydration(page)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('歡迎回來，林家豪')
      await page.getByLabel('新筆記').fill('記得星期五前回覆設計稿的意見。')
      await page.getByRole('button', { name: '新增筆記' }).click()
      await expect(page.getByText('記得星期五前回覆設計稿的意見。')).toBeVisible()
      await capture(page, 'home')
      await page.goto('/notes')
      await waitForHydration(page)
      await page.getByRole('button', { name: /^刪除筆記/ }).click()
      await expect(page.getByRole('status').filter({ hasText: '已刪除筆記。' })).toBeVisible()
      await capture(page, 'notes-deleted')
      await page.goto('/sessions')
      await expect(page.getByText('iOS 上的 Safari')).toBeVisible()
      await capture(page, 'sessions')
      await page.goto('/account')
      await waitForHydration(page)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('帳戶')
      await capture(page, 'account')
      await page.getByRole('button', { name: /帳戶選單/ }).click()
      await expect(page.getByLabel('語言')).toHaveValue('zh-TW')
      await capture(page, 'menu')
      await other.close()
    })
  })
}
