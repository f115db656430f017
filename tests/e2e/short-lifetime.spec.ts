import { signWithServerKey } from '../fixtures/database'
import { ACCESS_COOKIE, expect, signIn, test, waitForHydration } from '../fixtures/playwright'

// Access tokens that live five seconds: real expiry, watched rather than simulated.
test.use({ serverEnv: { NUXT_AUTH_ACCESS_TTL: '5' } })

test('after the access cookie has expired, the first HTML of a protected page is still signed in', async ({ page, context }) => {
  await signIn(page, { name: 'Ellen Expiry' })
  // The browser drops the cookie at its Max-Age (5 s); wait for that, not for a fixed time.
  await expect.poll(async () => (await context.cookies()).some(cookie => cookie.name === ACCESS_COOKIE), { timeout: 15_000 }).toBe(false)
  const response = await page.goto('/account')
  expect(await response!.text()).toContain('Ellen Expiry')
  expect((await context.cookies()).some(cookie => cookie.name === ACCESS_COOKIE)).toBe(true)
})

test('an expired access token that is still sent is refreshed during the page request', async ({ page, context, server }) => {
  const { user } = await signIn(page, { name: 'Stale Token' })
  const now = Math.floor(Date.now() / 1000)
  const expired = await signWithServerKey(server.databasePath, { iss: server.url, aud: server.url, sub: user.id, sid: 'x', jti: 'j', iat: now - 120, exp: now - 60 })
  const current = (await context.cookies()).find(cookie => cookie.name === ACCESS_COOKIE)!
  await context.addCookies([{ ...current, value: expired }])
  const response = await page.goto('/account')
  expect(await response!.text()).toContain('Stale Token')
  expect((await context.cookies()).find(cookie => cookie.name === ACCESS_COOKIE)!.value).not.toBe(expired)
})

test('a visible tab keeps its session fresh ahead of expiry: no request ever fails with 401', async ({ page }) => {
  await signIn(page)
  await page.goto('/notes')
  await waitForHydration(page)
  const unauthorized: string[] = []
  page.on('response', response => response.status() === 401 && unauthorized.push(response.url()))
  // Two proactive refreshes in a row, each ahead of a 5-second expiry.
  for (let i = 0; i < 2; i++) {
    const refreshed = await page.waitForResponse(response => response.url().endsWith('/api/auth/refresh'), { timeout: 10_000 })
    expect(refreshed.status()).toBe(200)
  }
  await page.getByLabel('New note').fill('still signed in')
  await page.getByRole('button', { name: 'Add note' }).click()
  await expect(page.getByTestId('note')).toHaveCount(1)
  expect(unauthorized).toEqual([])
})
