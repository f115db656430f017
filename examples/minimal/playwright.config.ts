import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'

/**
 * The example's sign-in test against its production build
 * (`npx nuxt build examples/minimal` first), with the Google emulator forced
 * on and a throwaway SQLite file: the set-up your own app's tests can copy.
 */
// Before Playwright starts the server (which would fail with "Cannot find module"): one clear sentence.
if (!existsSync(new URL('.output/server/index.mjs', import.meta.url))) {
  throw new Error('No production build in examples/minimal/.output/: run `npm run build:example` first (`npm test` does).')
}

const port = Number(process.env.PORT ?? 3100)
const origin = `http://127.0.0.1:${port}`
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)

export default defineConfig({
  testDir: 'tests',
  outputDir: '../../test-results/minimal',
  timeout: 30_000,
  reporter: [['list']],
  webServer: {
    command: 'node .output/server/index.mjs',
    url: `${origin}/api/health`,
    reuseExistingServer: false,
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      NUXT_PUBLIC_APP_ORIGIN: origin,
      NUXT_AUTH_GOOGLE_EMULATOR: 'force',
      NUXT_DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'minimal-')), 'auth.sqlite')}`,
    },
  },
  use: {
    baseURL: origin,
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
})
