import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { addServerPlugin, createResolver, defineNuxtModule, resolvePath } from '@nuxt/kit'

/** nuxt-security's per-request middleware, by the option that turns each off. */
const MIDDLEWARE_OPTIONS: Record<string, (security: Record<string, unknown>) => boolean> = {
  requestSizeLimiter: security => security.requestSizeLimiter === false,
  corsHandler: security => security.corsHandler === false,
  allowedMethodsRestricter: security => isAnyMethod(security.allowedMethodsRestricter),
  rateLimiter: security => security.rateLimiter === false,
  xssValidator: security => security.xssValidator === false,
}

/**
 * Security headers without a per-request toll. nuxt-security stays for its
 * configuration, its build-time work (route-rule headers for every response,
 * Subresource Integrity hashes) and its header spelling; its runtime parts
 * are replaced: on every request they cloned and merged the whole option
 * tree, built a router and drew a nonce, even for JSON answers whose headers
 * never change (two thirds of an API request's time). Here the page headers
 * are serialised once at build time, with nuxt-security's own serialiser,
 * and server/security/page-headers.ts only draws a nonce and fills it in
 * when a page is rendered. Its middleware is dropped only where the option
 * turns it off (all of them in this layer: server/http does those jobs).
 */
export default defineNuxtModule({
  meta: { name: 'auth-page-security' },
  async setup(_options, nuxt) {
    const moduleEntry = await resolvePath('nuxt-security')
    const runtimeDir = join(dirname(moduleEntry), 'runtime')
    const { headerStringFromObject, getNameFromKey, getHeadersApplicableToAllResources } = await import(pathToFileURL(join(dirname(moduleEntry), 'utils/headers.mjs')).href) as {
      headerStringFromObject: (key: string, value: unknown) => string
      getNameFromKey: (key: string) => string
      getHeadersApplicableToAllResources: (headers: Record<string, unknown>) => Record<string, string> | undefined
    }

    // After every module: nuxt-security has merged its defaults into the options by then.
    nuxt.hook('nitro:config', (config) => {
      const security = nuxt.options.runtimeConfig.security as unknown as Record<string, unknown> & { headers: Record<string, unknown>, nonce: boolean, sri: boolean, hidePoweredBy: boolean }
      // The headers for every response are route rules already (nuxt-security put them there): the rest are the pages' own.
      const everyResponse = new Set(Object.keys(getHeadersApplicableToAllResources(security.headers) ?? {}))
      const pageHeaders: Record<string, string> = {}
      for (const [key, value] of Object.entries(security.headers)) {
        if (value === false || value === undefined || everyResponse.has(getNameFromKey(key))) continue
        const sources = key === 'contentSecurityPolicy' && !security.nonce ? withoutNonceSources(value as Record<string, unknown>) : value
        const text = headerStringFromObject(key, sources)
        if (text) pageHeaders[getNameFromKey(key)] = text
      }
      const settings = {
        headers: pageHeaders, nonce: security.nonce, sri: security.sri, hidePoweredBy: security.hidePoweredBy,
        ...(nuxt.options.dev && security.headers.contentSecurityPolicy ? { devErrorPageCsp: headerStringFromObject('contentSecurityPolicy', devErrorPageCsp(security.headers.contentSecurityPolicy as Record<string, unknown>)) } : {}),
      }
      config.virtual = { ...config.virtual, '#auth-page-security': `export default ${JSON.stringify(settings)}` }
      // Nothing reads them at run time any more, and Nitro copies and walks the whole runtime config
      // (for NUXT_* overrides) on every page render: they were most of its size.
      if (config.runtimeConfig) {
        delete config.runtimeConfig.security
        delete (config.runtimeConfig.private as Record<string, unknown> | undefined)?.basicAuth
        if (config.runtimeConfig.private && !Object.keys(config.runtimeConfig.private).length) delete config.runtimeConfig.private
      }
      config.plugins = (config.plugins ?? []).filter(plugin => !plugin?.startsWith(join(runtimeDir, 'nitro/plugins')))
      config.handlers = (config.handlers ?? []).filter((entry) => {
        const name = Object.keys(MIDDLEWARE_OPTIONS).find(option => entry?.handler?.startsWith(join(runtimeDir, 'server/middleware', option)))
        return !name || !MIDDLEWARE_OPTIONS[name]!(security)
      })
    })
    addServerPlugin(createResolver(import.meta.url).resolve('../server/security/page-headers'))
  },
})

function isAnyMethod(option: unknown): boolean {
  if (option === false || option === undefined) return true
  const methods = (option as { methods?: unknown }).methods
  return methods === '*' || (Array.isArray(methods) && methods.includes('*'))
}

/**
 * `nuxt dev` only: the policy of Nuxt's development error page. Nuxt appends its error
 * overlay to that page after rendering, as inline scripts without our nonce, which
 * build a `data:` frame holding the detailed error page with inline scripts and
 * `onclick` handlers of its own (the frame inherits the policy). A nonce would make
 * browsers ignore 'unsafe-inline', so this policy has none; every other page, and
 * every page in production, keeps the nonce policy.
 */
function devErrorPageCsp(csp: Record<string, unknown>) {
  const frames = Array.isArray(csp['frame-src']) ? csp['frame-src'] : []
  return { ...csp, 'script-src': ['\'self\'', '\'unsafe-inline\''], 'script-src-attr': ['\'unsafe-inline\''], 'frame-src': [...frames, 'data:'] }
}

function withoutNonceSources(csp: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(csp).map(([directive, sources]) =>
    [directive, Array.isArray(sources) ? sources.filter(source => source !== '\'nonce-{{nonce}}\'') : sources]))
}
