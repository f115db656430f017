import { expect, signIn, test, waitForHydration } from '../fixtures/playwright'

test('a visible tab refreshes shortly before the access token expires, with no request failing first', async ({ page }) => {
  // The browser's clock is ours to move: nine minutes pass without waiting nine minutes.
  await page.clock.install()
  await signIn(page)
  await page.goto('/notes')
  await waitForHydration(page)
  const failures: number[] = []
  page.on('response', response => response.status() === 401 && failures.push(response.status()))

  const refreshed = page.waitForResponse(response => response.url().endsWith('/api/auth/refresh') && response.status() === 200)
  await page.clock.fastForward('09:05')
  await refreshed
  expect(failures).toEqual([])
  // The schedule moved on to the new expiry: nothing more is due right away.
  const again = page.waitForRequest(request => request.url().endsWith('/api/auth/refresh'), { timeout: 1000 }).then(() => 'refreshed again', () => 'quiet')
  await page.clock.fastForward('00:30')
  expect(await again).toBe('quiet')
})

test('a tab coming back after its token expired (sleep, background) refreshes before the user acts', async ({ page }) => {
  await page.clock.install()
  await signIn(page)
  await page.goto('/')
  await waitForHydration(page)
  // Jump past expiry without running timers, as a laptop waking up does.
  await page.clock.setSystemTime(Date.now() + 11 * 60_000)
  const refreshed = page.waitForResponse(response => response.url().endsWith('/api/auth/refresh'))
  await page.evaluate(() => window.dispatchEvent(new Event('focus')))
  expect((await refreshed).status()).toBe(200)
})
