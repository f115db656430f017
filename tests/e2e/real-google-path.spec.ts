import { test as base, expect } from '@playwright/test'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'
import { uniqueEmail } from '../fixtures/google'
import { waitForHydration } from '../fixtures/playwright'

const CLIENT_ID = 'e2e-client.apps.googleusercontent.com'
const GOOGLE_SCRIPT = 'https://accounts.google.com/gsi/client'

/**
 * The production configuration: a Google client id, no emulator. The page
 * loads Google's real script URL; the test answers it with the emulator's
 * script (page.route), and the server verifies credentials against
 * certificates served by a separate emulator instance. This is how an app's
 * own tests can sign in through "Google" in CI.
 */
const test = base.extend<object, { google: RunningServer, app: RunningServer }>({
  // Playwright reads a fixture's dependencies from the destructuring pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  google: [async ({}, use) => {
    const google = await startServer()
    await use(google)
    await google.stop()
  }, { scope: 'worker' }],
  app: [async ({ google }, use) => {
    const app = await startServer({
      env: {
        NUXT_AUTH_GOOGLE_EMULATOR: 'false',
        NUXT_PUBLIC_GOOGLE_CLIENT_ID: CLIENT_ID,
        NUXT_AUTH_GOOGLE_CERTS_URL: `${google.url}/_emulator/google/certs`,
      },
    })
    await use(app)
    await app.stop()
  }, { scope: 'worker' }],
})

test('with a client id and the emulator off, the page loads Google\'s script, and sign-in works through it', async ({ page, app, google }) => {
  const scriptRequests: string[] = []
  // Google's script URL, with the page's language as `hl` (?hl=en).
  await page.route(url => url.origin + url.pathname === GOOGLE_SCRIPT, async (route) => {
    scriptRequests.push(route.request().url())
    const script = await route.fetch({ url: `${google.url}/_emulator/google/gsi/client${new URL(route.request().url()).search}` })
    await route.fulfill({ response: script })
  })
  // The emulator's script mints next to itself, here https://accounts.google.com/gsi/token.
  await page.route('https://accounts.google.com/gsi/token', async (route) => {
    const minted = await route.fetch({ url: `${google.url}/_emulator/google/token` })
    await route.fulfill({ response: minted })
  })

  const cspViolations: string[] = []
  page.on('console', message => /Content Security Policy/i.test(message.text()) && cspViolations.push(message.text()))
  const emulatorRoute = await page.request.get(`${app.url}/_emulator/google/gsi/client`)
  expect(emulatorRoute.status()).toBe(404)

  await page.goto(`${app.url}/notes`)
  await waitForHydration(page)
  await expect(page.getByText('Development mode')).toHaveCount(0)
  await page.getByTestId('gsi-emulator-button').click()
  await page.locator('[role=dialog][aria-modal=true]').getByTestId('gsi-emulator-other').click()
  await page.getByLabel('Email').fill(uniqueEmail('real-path'))
  await page.getByLabel('Name').fill('Real Path')
  await page.getByTestId('gsi-emulator-continue').click()
  await expect(page).toHaveURL(/\/notes$/)
  await expect(page.getByRole('button', { name: /Real Path/ })).toBeVisible()
  expect(scriptRequests).toEqual([`${GOOGLE_SCRIPT}?hl=en`])
  // Under the enforced CSP, with Google's documented sources only.
  expect(cspViolations).toEqual([])
})
