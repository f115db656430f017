import { expect, signIn, signInThroughPage, test, waitForHydration } from '../fixtures/playwright'
import { uniqueEmail } from '../fixtures/google'

test('deleting the account through the dialog: both tabs signed out saying why, and signing in again starts an empty account', async ({ context, page }) => {
  const email = uniqueEmail('leaving')
  await page.goto('/signin')
  await signInThroughPage(page, { email, name: 'Leaving Person' })
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Leaving!')
  await page.goto('/notes')
  await waitForHydration(page)
  await page.getByLabel('New note').fill('written before leaving')
  await page.getByRole('button', { name: 'Add note' }).click()
  await expect(page.getByTestId('note')).toHaveText(/written before leaving/)

  const other = await context.newPage()
  await other.goto('/notes')
  await page.goto('/account')
  await Promise.all([waitForHydration(page), waitForHydration(other)])

  const opener = page.getByRole('button', { name: 'Delete account…' })
  await opener.click()
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' })
  const field = dialog.getByLabel(`Type ${email} to confirm`)
  const confirm = dialog.getByRole('button', { name: 'Delete account' })
  // The dialog names the account, takes the focus, and closes on Escape, giving the focus back.
  await expect(dialog).toContainText('Leaving Person')
  await expect(dialog).toContainText(email)
  await expect(field).toBeFocused()
  await expect(confirm).toBeDisabled()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(opener).toBeFocused()

  await opener.click()
  await field.fill('someone-else@example.com')
  await expect(confirm).toBeDisabled()
  await field.fill(email.toUpperCase())
  await expect(confirm).toBeEnabled()
  await confirm.click()

  await expect(page).toHaveURL(/\/signin\?reason=account_deleted$/)
  await expect(page.getByText('Your account was deleted.')).toBeVisible()
  await expect(other).toHaveURL(/\/signin\?redirect=(%2F|\/)notes&reason=account_deleted$/)
  await expect(other.getByText('Your account was deleted.')).toBeVisible()
  expect((await context.cookies()).filter(cookie => cookie.name.includes('auth_access') || cookie.name.includes('auth_refresh'))).toEqual([])

  await signInThroughPage(page, { email, name: 'Leaving Person' })
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Leaving!')
  await page.goto('/notes')
  await expect(page.getByText('No notes yet.')).toBeVisible()
  await expect(page.getByTestId('note')).toHaveCount(0)
})

test('when the server cannot be reached, the dialog says the account was not deleted and the user stays signed in', async ({ page }) => {
  const { user } = await signIn(page, { name: 'Staying Person' })
  await page.goto('/account')
  await waitForHydration(page)
  // The connection drops: no answer at all, as offline.
  await page.route('**/api/auth/account', route => route.abort('internetdisconnected'))
  await page.getByRole('button', { name: 'Delete account…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' })
  await dialog.getByLabel(`Type ${user.email} to confirm`).fill(user.email)
  await dialog.getByRole('button', { name: 'Delete account' }).click()
  await expect(dialog.getByRole('alert')).toHaveText(/Your account was not deleted: the server could not be reached/)
  await expect(dialog.getByRole('button', { name: 'Delete account' })).toBeEnabled()
  await expect(page).toHaveURL(/\/account$/)

  await page.unroute('**/api/auth/account')
  await page.reload()
  await expect(page.getByRole('main')).toContainText(user.email)
})
