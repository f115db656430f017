import { ACCESS_COOKIE, REFRESH_COOKIE, expect, signIn, signInThroughPage, test, tokensOf, waitForHydration } from '../fixtures/playwright'
import { uniqueEmail } from '../fixtures/google'

test.describe('signing in through Google (the emulator)', () => {
  test('a signed-out visit to /notes goes to /signin?redirect=/notes, and the account chooser brings the user back to /notes', async ({ page }) => {
    await page.goto('/notes')
    await expect(page).toHaveURL(/\/signin\?redirect=(%2F|\/)notes$/)
    await waitForHydration(page)
    await page.getByTestId('gsi-emulator-button').click()
    await page.getByRole('dialog').getByTestId('gsi-emulator-other').click()
    const email = uniqueEmail('chooser')
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Name').fill('Chooser Person')
    await page.getByTestId('gsi-emulator-continue').click()
    await expect(page).toHaveURL(/\/notes$/)
    await expect(page.getByRole('heading', { name: 'Notes', level: 1 })).toBeVisible()
    await expect(page.getByRole('button', { name: /Chooser Person/ })).toBeVisible()
  })

  test('works with the keyboard alone', async ({ page }) => {
    await page.goto('/signin')
    await waitForHydration(page)
    await page.getByTestId('gsi-emulator-button').focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog')
    await expect(dialog).toBeVisible()
    // Focus moves into the chooser; the first account is focused.
    await expect(dialog.getByTestId('gsi-emulator-account').first()).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page).toHaveURL(/\/$/)
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome')
    // Focus starts on the new page's content; Tab reaches the note field, and a note is added with keys alone.
    await expect(page.locator('main')).toBeFocused()
    await page.keyboard.press('Tab')
    await expect(page.getByLabel('New note')).toBeFocused()
    await page.keyboard.type('typed with the keyboard')
    await page.keyboard.press('Tab')
    await expect(page.getByRole('button', { name: 'Add note' })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('region', { name: 'Recent notes' }).getByText('typed with the keyboard')).toBeVisible()
    // A fresh page load: the skip link is the first stop.
    await page.reload()
    await page.keyboard.press('Tab')
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused()
  })

  test('greets a first-time user, and welcomes them back the next time', async ({ page, browser, baseURL }) => {
    const email = uniqueEmail('greeting')
    await page.goto('/signin')
    await waitForHydration(page)
    await page.getByTestId('gsi-emulator-button').click()
    await page.getByTestId('gsi-emulator-other').click()
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Name').fill('Grace Newcomer')
    await page.getByTestId('gsi-emulator-continue').click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Grace!')

    const later = await browser.newPage({ baseURL })
    await signIn(later, { email, name: 'Grace Newcomer' })
    await later.goto('/')
    await expect(later.getByRole('heading', { level: 1 })).toHaveText('Welcome back, Grace')
    await later.close()
  })

  test('sends an already signed-in user from /signin to the redirect target', async ({ signedInPage: page }) => {
    await page.goto('/signin?redirect=/sessions')
    await expect(page).toHaveURL(/\/sessions$/)
  })

  test('never follows a redirect off the site', async ({ signedInPage: page }) => {
    for (const target of ['//evil.example', 'https://evil.example', '/\\evil.example', '/.//evil.example']) {
      await page.goto(`/signin?redirect=${encodeURIComponent(target)}`)
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    }
  })
})

test.describe('signing in through the page on a phone (390 × 844)', () => {
  test.use({ viewport: { width: 390, height: 844 } })

  test('the testing.md recipe works with One Tap open: its bottom sheet leaves the button free', async ({ page }) => {
    await page.goto('/notes')
    await expect(page).toHaveURL(/\/signin\?redirect=(%2F|\/)notes$/)
    await waitForHydration(page)
    await expect(page.getByRole('dialog')).toBeVisible()
    await page.getByTestId('gsi-emulator-button').click()
    await page.getByRole('dialog').getByTestId('gsi-emulator-other').click()
    await page.getByLabel('Email').fill(uniqueEmail('phone'))
    await page.getByLabel('Name').fill('Phone Person')
    await page.getByTestId('gsi-emulator-continue').click()
    await expect(page).toHaveURL(/^[^?]*\/notes$/)
    await expect(page.getByRole('heading', { name: 'Notes', level: 1 })).toBeVisible()
  })

  test('signInThroughPage does the same', async ({ page }) => {
    await page.goto('/signin')
    await signInThroughPage(page, { email: uniqueEmail('helper'), name: 'Helper Person' })
    await expect(page).toHaveURL(/^[^?]*\/$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, Helper!')
  })
})

test.describe('server-side rendering of the signed-in state', () => {
  test('a reload keeps the user signed in, and the first HTML already names them', async ({ page }) => {
    await signIn(page, { name: 'Sara Server' })
    const response = await page.goto('/account')
    expect(await response!.text()).toContain('Sara Server')
    await page.reload()
    await expect(page).toHaveURL(/\/account$/)
    await expect(page.getByText('Sara Server').first()).toBeVisible()
  })

  test('with the access cookie gone, the page request refreshes in-process: signed-in first HTML with new cookies', async ({ page, context }) => {
    await signIn(page, { name: 'Expired Access' })
    const refreshBefore = (await context.cookies()).find(cookie => cookie.name === REFRESH_COOKIE)!.value
    await context.clearCookies({ name: ACCESS_COOKIE })
    const apiCalls: string[] = []
    page.on('request', request => request.url().includes('/api/auth/refresh') && apiCalls.push(request.url()))

    const response = await page.goto('/notes')
    expect(response!.status()).toBe(200)
    expect(await response!.text()).toContain('Expired Access')
    const setCookies = (await response!.headerValue('set-cookie')) ?? ''
    expect(setCookies).toContain(`${ACCESS_COOKIE}=`)
    const refreshAfter = (await context.cookies()).find(cookie => cookie.name === REFRESH_COOKIE)!.value
    expect(refreshAfter).not.toBe(refreshBefore)
    // The renewed tokens went out as cookies only: not in the HTML, not in the Nuxt payload inside it.
    const html = await response!.text()
    for (const cookie of await context.cookies()) expect(html.includes(cookie.value), cookie.name).toBe(false)
    // The render's own API fetch (the notes list) used the renewed cookies: the page shows the list, not an error.
    await expect(page.getByText('No notes yet.')).toBeVisible()
    await waitForHydration(page)
    expect(apiCalls).toEqual([])
  })

  test('with a valid access cookie, no refresh happens at all', async ({ page, context }) => {
    await signIn(page)
    const before = await context.cookies()
    const response = await page.goto('/sessions')
    expect(await response!.headerValue('set-cookie')).toBeNull()
    expect(await context.cookies()).toEqual(before)
  })
})

test.describe('tokens stay out of page scripts\' reach', () => {
  test('localStorage, sessionStorage and document.cookie never contain a token', async ({ page, context }) => {
    const seen: string[] = []
    // Everything a page script can read: both storages, the cookies it can see, and IndexedDB (the cross-tab refresh record).
    const snapshot = async () => seen.push(await page.evaluate(async () => {
      const databases = await indexedDB.databases()
      const records: unknown[] = []
      for (const { name } of databases) {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(name!)
          request.onsuccess = () => resolve(request.result)
          request.onerror = () => reject(request.error)
        })
        for (const store of Array.from(db.objectStoreNames)) {
          records.push(await new Promise(resolve => (db.transaction(store).objectStore(store).getAll().onsuccess = event => resolve((event.target as IDBRequest).result))))
        }
        db.close()
      }
      return JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie, indexedDB: records })
    }))

    await page.goto('/signin')
    await waitForHydration(page)
    await snapshot()
    await page.getByTestId('gsi-emulator-button').click()
    await page.getByTestId('gsi-emulator-account').first().click()
    await expect(page).toHaveURL(/\/$/)
    await snapshot()
    const firstTokens = await tokensOf(context)
    await context.clearCookies({ name: ACCESS_COOKIE })
    await page.goto('/notes')
    await waitForHydration(page)
    await page.evaluate(() => (window as unknown as { useNuxtApp: () => { $refreshSession: (since: number) => Promise<unknown> } }).useNuxtApp().$refreshSession(Date.now()))
    await snapshot()
    const refreshedTokens = await tokensOf(context)
    await page.goto('/account')
    await waitForHydration(page)
    await snapshot()
    await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click()
    await expect(page).toHaveURL(/\/signin$/)
    await snapshot()
    const tokens = [...firstTokens, ...refreshedTokens]

    expect(tokens.length).toBeGreaterThanOrEqual(4)
    for (const state of seen) {
      for (const token of tokens) expect(state).not.toContain(token)
    }
    // The one thing persisted: the last account's e-mail, for Google's login_hint.
    expect(seen.at(-1)).toContain('ada@example.com')
  })
})
