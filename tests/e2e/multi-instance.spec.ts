import { test as base, expect } from '@playwright/test'
import { startTestPostgres } from '../fixtures/postgres'
import type { TestPostgres } from '../fixtures/postgres'
import { hasNginx, startNginx } from '../fixtures/nginx'
import { freePort, freePortExcept } from '../fixtures/ports'
import type { RunningNginx } from '../fixtures/nginx'
import { signIn, waitForHydration, ACCESS_COOKIE } from '../fixtures/playwright'
import { startServer } from '../fixtures/server'
import type { RunningServer } from '../fixtures/server'

interface Deployment {
  database: TestPostgres
  instances: RunningServer[]
  proxy: RunningNginx
}

/** Two production instances on one PostgreSQL behind nginx round-robin, as docs/deployment.md describes. */
const test = base.extend<object, { deployment: Deployment }>({
  // Playwright reads a fixture's dependencies from the destructuring pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  deployment: [async ({}, use) => {
    const database = await startTestPostgres()
    const proxyPort = await freePort()
    const origin = `http://127.0.0.1:${proxyPort}`
    const env = { NUXT_DATABASE_URL: database.url, NUXT_PUBLIC_APP_ORIGIN: origin, NUXT_AUTH_TRUSTED_PROXIES: '127.0.0.1' }
    // The proxy's port is not bound until nginx starts: keep the instances off it.
    const instances = [
      await startServer({ env, port: await freePortExcept([proxyPort]) }),
      await startServer({ env, port: await freePortExcept([proxyPort]) }),
    ]
    const proxy = await startNginx(proxyPort, instances.map(instance => instance.port))
    await use({ database, instances, proxy })
    await proxy.stop()
    await Promise.all(instances.map(instance => instance.stop()))
    await database.dispose()
  }, { scope: 'worker' }],
  baseURL: async ({ deployment }, use) => use(deployment.proxy.url),
})

// nginx comes from apt (.ci/run installs it); without it this file defines no test and says so.
if (!hasNginx()) console.warn('multi-instance.spec.ts: nginx is not installed (apt-get install nginx); the load-balancer test was not run.')
else test('through nginx: killing one instance mid-session leaves the signed-in browser working through the other', async ({ page, context, deployment }) => {
  const { instances } = deployment
  await signIn(page, { name: 'Load Balanced' })
  await page.goto('/notes')
  await waitForHydration(page)
  await page.getByLabel('New note').fill('before the crash')
  await page.getByRole('button', { name: 'Add note' }).click()
  await expect(page.getByTestId('note')).toHaveCount(1)

  // One instance dies without warning.
  await instances[0]!.kill('SIGKILL')

  // The access token runs out (as it would): the next calls refresh through whichever instance is left.
  await context.clearCookies({ name: ACCESS_COOKIE })
  for (const text of ['after the crash', 'and again']) {
    await page.getByLabel('New note').fill(text)
    await page.getByRole('button', { name: 'Add note' }).click()
    await expect(page.getByText(text)).toBeVisible()
  }
  await page.reload()
  await expect(page.getByTestId('note')).toHaveCount(3)
  await expect(page.getByRole('button', { name: /Load Balanced/ })).toBeVisible()
})
