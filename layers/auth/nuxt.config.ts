import { fileURLToPath } from 'node:url'

/** Paths inside this layer: `~` and `~~` point at the app that extends it. */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/**
 * The auth layer: Sign in with Google + self-refreshing JWT sessions for any
 * Nuxt 3 app that `extends` it (README.md beside this file). Every setting is
 * overridable at run time with the matching NUXT_* variable
 * (docs/configuration.md); server/config.ts validates them at start.
 */
export default defineNuxtConfig({
  modules: ['@pinia/nuxt', 'pinia-plugin-persistedstate/nuxt', 'nuxt-security', '@nuxtjs/i18n'],
  // `#layers/auth/…` imports, whatever folder an app keeps this layer in.
  $meta: { name: 'auth' },
  app: {
    head: {
      meta: [{ name: 'viewport', content: 'width=device-width, initial-scale=1' }, { name: 'color-scheme', content: 'light' }],
    },
  },
  // The app's own stylesheets come after this one and can override its custom properties.
  css: [here('./assets/css/auth.css')],

  runtimeConfig: {
    /** NUXT_DATABASE_URL: `sqlite:<path>` (default `sqlite:.data/auth.sqlite`). */
    databaseUrl: '',
    auth: {
      /** Access-token lifetime, seconds. */
      accessTtl: 600,
      /** Absolute session lifetime, seconds (30 days). */
      sessionTtl: 2_592_000,
      /** A session unused for this long ends, seconds (14 days). */
      sessionIdleTtl: 1_209_600,
      /** How long the refresh token superseded last still yields its successor, seconds. */
      refreshGrace: 30,
      /** `aud` of access tokens; defaults to the app origin. */
      audience: '',
      /** '' = automatic (Secure in production or on https), 'true' or 'false'. */
      cookieSecure: '',
      /** Rotate the signing key automatically every N seconds; 0 = only by command. */
      keyRotationInterval: 0,
      /** Comma-separated Google hosted domains (`hd`) allowed to sign in; empty = any. */
      allowedDomains: '',
      /** Comma-separated e-mail addresses allowed to sign in; empty = any. */
      allowedEmails: '',
      /** '' = automatic (on in development without a client id), 'true', 'false' or 'force'. */
      googleEmulator: '',
      /** Where to fetch Google's signing certificates ({kid: PEM}); empty = Google's. For tests of the real-Google path. */
      googleCertsUrl: '',
      /** Bind cookie-transport sign-ins to the nonce issued to the browser. */
      googleRequireNonce: true,
      /** `<count>/<seconds>` per client IP; 0 = off. */
      rateLimitSignin: '10/60',
      /** Comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed. */
      trustedProxies: '',
      /** Comma-separated exact origins allowed to call the API cross-origin (bearer transport only). */
      corsOrigins: '',
      /** `<count>/<seconds>` per client IP and per session (per instance); 0 = off. */
      rateLimitRefresh: '60/60',
    },
    public: {
      /** NUXT_PUBLIC_APP_NAME: the product's name, in the header, tab titles and the sign-in page. */
      appName: 'My app',
      /** NUXT_PUBLIC_APP_LOGO: the logo's URL (square; SVG or PNG), also the favicon; '' shows the name alone. */
      appLogo: '',
      /** The origin users load the app from, e.g. https://app.example.com. */
      appOrigin: '',
      /** The OAuth client id from Google Cloud (…apps.googleusercontent.com). */
      googleClientId: '',
      /** 'popup' (default) or 'redirect' (for browsers that block popups): how Google's button signs in. */
      googleUxMode: 'popup',
    },
  },

  routeRules: {
    '/api/auth/**': { headers: { 'cache-control': 'no-store' } },
  },

  experimental: {
    // Another page's code is fetched when a link is hovered or focused, not whenever one is on screen:
    // a first visit (on a phone, on mobile data) loads the page it shows and nothing else.
    defaults: { nuxtLink: { prefetchOn: { visibility: false, interaction: true } } },
  },

  nitro: {
    // The emulator's stand-in for Google's script, under a name no app's own server/assets can take.
    serverAssets: [{ baseName: 'auth', dir: here('./server/assets') }],
  },

  hooks: {
    // Our JSON error handler runs before Nuxt's (which renders the HTML error page), for API paths only.
    'nitro:config'(config) {
      config.errorHandler = [here('./server/error'), ...[config.errorHandler ?? []].flat()]
    },
  },
  // English and Traditional Chinese (i18n/locales/, merged with the app's own i18n/locales/), the URLs the same in
  // both, chosen on the server so that the first paint is already in the right language.
  i18n: {
    locales: [
      { code: 'en', language: 'en', name: 'English', file: 'en.json' },
      { code: 'zh-TW', language: 'zh-TW', name: '繁體中文', file: 'zh-TW.json' },
    ],
    defaultLocale: 'en',
    // Only the page's language is loaded, not every language's texts.
    lazy: true,
    strategy: 'no_prefix',
    // The module's detection writes a cookie on every first visit; plugins/locale.ts chooses instead.
    detectBrowserLanguage: false,
    // Messages are compiled at build time: no compiler in the page's JavaScript.
    bundle: { optimizeTranslationDirective: false, runtimeOnly: true, dropMessageCompiler: true },
  },
  // Relative: Pinia looks in each layer's own stores/ (its default is the app's only).
  pinia: { storesDirs: ['stores'] },

  /**
   * Security headers by nuxt-security (docs/security.md): a per-request nonce
   * CSP that Google Identity Services works under (its documented sources),
   * COOP that still lets Google's popup talk back. Its rate limiter, body-size
   * limiter, CORS and XSS filter are off: server/utils does those to the
   * contract's rules and error shape. Never remove loggers: the audit log is console output.
   */
  security: {
    nonce: true,
    sri: true,
    removeLoggers: false,
    rateLimiter: false,
    requestSizeLimiter: false,
    xssValidator: false,
    corsHandler: false,
    headers: {
      contentSecurityPolicy: {
        'default-src': ['\'self\''],
        'base-uri': ['\'none\''],
        'object-src': ['\'none\''],
        'script-src-attr': ['\'none\''],
        // Nonce + strict-dynamic: Nuxt's own scripts carry the nonce, and the scripts they load
        // (Google's or the emulator's gsi/client) are trusted through them.
        'script-src': ['\'self\'', '\'nonce-{{nonce}}\'', '\'strict-dynamic\'', 'https://accounts.google.com/gsi/client'],
        // Google's button injects styles, as does the emulator's chooser; scripts stay nonce-only.
        'style-src': ['\'self\'', '\'unsafe-inline\'', 'https://accounts.google.com/gsi/style'],
        'img-src': ['\'self\'', 'data:', 'https://*.googleusercontent.com'],
        'frame-src': ['https://accounts.google.com/gsi/'],
        'connect-src': ['\'self\'', 'https://accounts.google.com/gsi/'],
        'font-src': ['\'self\''],
        'form-action': ['\'self\'', 'https://accounts.google.com'],
        'frame-ancestors': ['\'none\''],
        // Plain-HTTP development and test servers would break; HSTS upgrades production instead.
        'upgrade-insecure-requests': false,
      },
      crossOriginOpenerPolicy: 'same-origin-allow-popups',
      // Google's button is a cross-origin iframe without COEP headers of its own.
      crossOriginEmbedderPolicy: 'unsafe-none',
      // Google's sign-in checks the page's origin, which no-referrer would hide.
      referrerPolicy: 'strict-origin-when-cross-origin',
      xFrameOptions: 'DENY',
      strictTransportSecurity: { maxAge: 31_536_000, includeSubdomains: true },
    },
  },
})
