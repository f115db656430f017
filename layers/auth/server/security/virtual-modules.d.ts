/** Written at build time by modules/page-security.ts. */
declare module '#auth-page-security' {
  const pageSecurity: {
    headers: Record<string, string>
    nonce: boolean
    sri: boolean
    hidePoweredBy: boolean
    /** `nuxt dev` only: the Content-Security-Policy of Nuxt's error page, which its error overlay can run under. */
    devErrorPageCsp?: string
  }
  export default pageSecurity
}

/** nuxt-security's hashes of the built scripts and styles, by URL. */
declare module '#sri-hashes' {
  const hashes: Record<string, string>
  export default hashes
}
