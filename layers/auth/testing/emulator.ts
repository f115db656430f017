/**
 * The Google emulator, for an app's own tests: Google ID tokens signed by the
 * running app's emulator (NUXT_AUTH_GOOGLE_EMULATOR=force in a production
 * build), which the app verifies with google-auth-library exactly as it
 * verifies Google's. Never enable the emulator where real users sign in.
 */

/** What the emulated Google account says about itself; any claim can be overridden. */
export interface EmulatedAccount {
  email?: string
  name?: string
  /** The sign-in nonce the app issued (GET /api/auth/google/nonce): the cookie transport requires it. */
  nonce?: string
  aud?: string
  iss?: string
  hd?: string
  sub?: string
  emailVerified?: boolean
  expiresInSeconds?: number
}

let counter = 0

/** A fresh e-mail address per call, so that tests never share an account by accident. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${process.pid}-${++counter}-${Date.now()}@example.com`
}

/** A Google ID token for `account`, from the emulator of the app at `origin` (e.g. http://127.0.0.1:3000). */
export async function mintGoogleCredential(origin: string, account: EmulatedAccount = {}): Promise<string> {
  const response = await fetch(`${origin}/_emulator/google/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: uniqueEmail(), ...account }),
  })
  if (!response.ok) throw new Error(`The emulator refused to mint a credential (${response.status}): is NUXT_AUTH_GOOGLE_EMULATOR on? ${await response.text()}`)
  return (await response.json() as { credential: string }).credential
}

/** The emulator's OAuth client id: the `aud` of its tokens. */
export const EMULATOR_CLIENT_ID = 'emulator.apps.googleusercontent.com'
