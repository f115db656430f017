#!/usr/bin/env node
// npm run auth:rotate-keys — adds a new access-token signing key to the store.
// Running servers pick it up within a minute (or at once when a token names it);
// the old public key stays published until every token it signed has expired.
// Reads the same NUXT_* variables as the server (NUXT_DATABASE_URL, NUXT_PUBLIC_APP_ORIGIN,
// NUXT_AUTH_ACCESS_TTL); .env in the working directory is honoured like `nuxt dev` does.
import { importServerModule, loadDotEnv } from './script-env.mjs'

loadDotEnv()
const { openStore } = await importServerModule('server/store/index.ts')
const { AccessTokenIssuer } = await importServerModule('server/tokens/access-tokens.ts')

const databaseUrl = process.env.NUXT_DATABASE_URL || 'sqlite:.data/auth.sqlite'
const ttl = Number(process.env.NUXT_AUTH_ACCESS_TTL || 600)
const origin = process.env.NUXT_PUBLIC_APP_ORIGIN || 'http://localhost:3000'

const store = await openStore(databaseUrl)
try {
  const issuer = new AccessTokenIssuer(store, { issuer: origin, audience: origin, ttl })
  await issuer.init()
  const kid = await issuer.rotate()
  const published = issuer.jwks().keys.map(key => key.kid)
  console.info(JSON.stringify({ time: new Date().toISOString(), event: 'key_rotated', kid, reason: 'command', published }))
  console.log(`New signing key ${kid}. Published keys: ${published.join(', ')}.`)
}
finally {
  await store.close()
}
