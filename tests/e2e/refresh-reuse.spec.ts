import { REFRESH_COOKIE, expect, signIn, test, waitForHydration } from '../fixtures/playwright'

type AppWindow = Window & { useNuxtApp: () => { $refreshSession: (since: number) => Promise<string> } }

// No grace window: a superseded token presented again is reuse at once.
test.use({ serverEnv: { NUXT_AUTH_REFRESH_GRACE: '0' } })

test('a replayed refresh token signs the user out everywhere, and the page says why', async ({ page, context, browser, baseURL }) => {
  await signIn(page)
  await page.goto('/notes')
  await waitForHydration(page)
  const stolen = (await context.cookies()).find(cookie => cookie.name === REFRESH_COOKIE)!

  // The owner refreshes: the stolen token is now superseded.
  expect(await page.evaluate(() => (window as unknown as AppWindow).useNuxtApp().$refreshSession(Date.now()))).toBe('refreshed')

  const thief = await browser.newContext({ baseURL })
  await thief.addCookies([stolen])
  const thiefPage = await thief.newPage()
  await thiefPage.goto('/notes')
  await expect(thiefPage).toHaveURL(/\/signin\?redirect=(%2F|\/)notes&reason=refresh_reused$/)
  await expect(thiefPage.getByText('this session was used from somewhere else')).toBeVisible()
  expect((await thief.cookies()).filter(cookie => cookie.name.includes('auth_access') || cookie.name.includes('auth_refresh'))).toEqual([])
  await thief.close()

  // The whole session was revoked: the owner's next page load is signed out too, its access token
  // still unexpired, and is told why (not "from another device": nobody chose this).
  await page.reload()
  await expect(page).toHaveURL(/\/signin\?redirect=(%2F|\/)notes&reason=refresh_reused$/)
  await expect(page.getByText('this session was used from somewhere else')).toBeVisible()
})
