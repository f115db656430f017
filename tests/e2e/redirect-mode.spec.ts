import { expect, test, waitForHydration } from '../fixtures/playwright'
import { uniqueEmail } from '../fixtures/google'

// For browsers that block popups: Google posts the credential to the server, which answers 303.
test.use({ serverEnv: { NUXT_PUBLIC_GOOGLE_UX_MODE: 'redirect' } })

test('redirect mode: the credential is form-posted to the server (g_csrf_token checked) and the user lands where they were going', async ({ page }) => {
  const posts: string[] = []
  page.on('request', request => request.method() === 'POST' && request.url().includes('/api/auth/google') && posts.push(request.postData() ?? ''))
  await page.goto('/sessions')
  await expect(page).toHaveURL(/\/signin\?redirect=(%2F|\/)sessions$/)
  await waitForHydration(page)
  await page.getByTestId('gsi-emulator-button').click()
  await page.getByTestId('gsi-emulator-other').click()
  await page.getByLabel('Email').fill(uniqueEmail('redirect'))
  await page.getByLabel('Name').fill('Rita Redirect')
  await page.getByTestId('gsi-emulator-continue').click()
  await expect(page).toHaveURL(/\/sessions$/)
  await expect(page.getByRole('button', { name: /Rita Redirect/ })).toBeVisible()
  expect(posts).toHaveLength(1)
  expect(posts[0]).toMatch(/^credential=[\w.-]+&g_csrf_token=[0-9a-f]+$/)
})
