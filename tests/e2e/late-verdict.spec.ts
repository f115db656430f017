import type { Page } from '@playwright/test'
import { expect, signIn, test, waitForHydration } from '../fixtures/playwright'
import { uniqueEmail } from '../fixtures/google'

type AppWindow = Window & { useNuxtApp: () => { $pinia: { state: { value: { auth: { refreshedAt: number } } } } } }
const refreshedAt = (tab: Page) => tab.evaluate(() => (window as unknown as AppWindow).useNuxtApp().$pinia.state.value.auth.refreshedAt)

test('"session ended", answering a request sent before this browser signed in again, signs no tab out: the request is retried', async ({ context, page, browser, baseURL }) => {
  const email = uniqueEmail('late-verdict')
  await signIn(page, { email })
  await page.goto('/notes')
  await waitForHydration(page)
  const oldCookies = (await context.cookies()).filter(cookie => /auth_(access|refresh)/.test(cookie.name)).map(cookie => `${cookie.name}=${cookie.value}`).join('; ')
  const { session } = await (await page.request.get('/api/auth/me')).json() as { session: { id: string } }

  // The tab's next note is held on its way out, then sent with the cookies it left with (by the test:
  // the browser would attach its current ones), and its answer handed back to the page.
  let release!: () => void
  const released = new Promise<void>(done => (release = done))
  let held!: (at: number) => void
  const heldAt = new Promise<number>(done => (held = done))
  let first = true
  await page.route('**/api/notes', async (route) => {
    if (route.request().method() !== 'POST' || !first) return route.continue()
    first = false
    held(await refreshedAt(page).then(() => Date.now()))
    await released
    const stale = await fetch(route.request().url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'origin': baseURL!, 'cookie': oldCookies },
      body: route.request().postData(),
    })
    await route.fulfill({ status: stale.status, contentType: stale.headers.get('content-type') ?? undefined, body: await stale.text() })
  })
  const answers: Promise<string>[] = []
  page.on('response', (response) => {
    if (!response.url().endsWith('/api/notes') || response.request().method() !== 'POST') return
    answers.push(response.json().then((body: { data?: { code?: string } }) => `${response.status()} ${body.data?.code ?? ''}`.trim()))
  })
  await page.getByLabel('New note').fill('sent before signing in again')
  await page.getByRole('button', { name: 'Add note' }).click()
  const leftAt = await heldAt

  // Meanwhile its session is signed out from another device, and the browser signs in again in another tab.
  const otherDevice = await browser.newContext({ baseURL })
  const other = await otherDevice.newPage()
  await signIn(other, { email })
  expect((await other.request.delete(`/api/auth/sessions/${session.id}`, { headers: { origin: baseURL! } })).status()).toBe(204)
  await otherDevice.close()
  const tab = await context.newPage()
  await tab.goto('/signin')
  await waitForHydration(tab)
  await tab.getByTestId('gsi-emulator-button').click()
  await tab.getByTestId('gsi-emulator-other').click()
  await tab.getByLabel('Email').fill(email)
  await tab.getByTestId('gsi-emulator-continue').click()
  await expect(tab).toHaveURL(/\/$/)
  // The first tab has heard of the new sign-in.
  await expect.poll(() => refreshedAt(page)).toBeGreaterThan(leftAt)

  release()
  await expect(page.getByText('sent before signing in again')).toBeVisible()
  expect(await Promise.all(answers)).toEqual(['401 session_revoked', '201'])
  await expect(page).toHaveURL(/\/notes$/)
  await expect(tab).toHaveURL(/\/$/)
  await expect(tab.getByRole('heading', { level: 1 })).toContainText('Welcome')
})
