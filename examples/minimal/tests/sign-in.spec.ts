import { expect, signInThroughPage, test } from '../../../layers/auth/testing/playwright'

test('a signed-out visit goes to /signin, and signing in brings the user back to the protected page', async ({ page }) => {
  await page.goto('/?from=a-link')
  await expect(page).toHaveURL(/\/signin\?redirect=/)
  await signInThroughPage(page, { email: 'ada@example.com', name: 'Ada Lovelace' })
  await expect(page).toHaveURL(/\/\?from=a-link$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Ada Lovelace')
})

test('the layer\'s signedInPage fixture starts signed in, and signing out goes back to /signin', async ({ signedInPage: page }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Hello, /)
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/signin/)
  await page.goto('/')
  await expect(page).toHaveURL(/\/signin$/)
})
