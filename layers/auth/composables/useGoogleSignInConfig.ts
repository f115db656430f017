/** What the sign-in page needs from the server: the client id, and whether the emulator stands in for Google. */
export interface GoogleSignInConfig {
  clientId: string
  emulator: boolean
}

/** Set during SSR from the server's settings; null when they could not be read. */
export function useGoogleSignInConfig() {
  return useState<GoogleSignInConfig | null>('google-sign-in-config', () => null)
}
