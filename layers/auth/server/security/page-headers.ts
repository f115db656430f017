import { randomBytes } from 'node:crypto'
import type { H3Event } from 'h3'
import { setResponseHeader } from 'h3'
import { defineNitroPlugin } from 'nitropack/runtime'
import pageSecurity from '#auth-page-security'
import sriHashes from '#sri-hashes'

/*
 * The per-page half of the security headers (modules/page-security.ts has
 * the why): a fresh nonce for every rendered page, set on its scripts, links
 * and styles; Subresource Integrity on its own scripts and styles; and the
 * page-only headers, serialised at build time, with the nonce filled in.
 * API and asset responses carry only the route-rule headers (no work here).
 * The tag rewriting is nuxt-security's (2.5/2.6), kept byte for byte.
 */

const SECTIONS = ['body', 'bodyAppend', 'bodyPrepend', 'head'] as const
const NONCE_PLACEHOLDER = '{{nonce}}'

const LINK_RE = /<link\b([^>]*?>)/gi
const NONCE_RE = /nonce="[^"]+"/i
const SCRIPT_RE = /<script\b([^>]*?>)/gi
const STYLE_RE = /<style\b([^>]*?>)/gi
const QUOTE_MASK_RE = /"([^"\\]*(?:\\.[^"\\]*)*)"/g
const QUOTE_RESTORE_RE = /__QUOTE_PLACEHOLDER_(\d+)__/g
const SRI_SCRIPT_RE = /<script((?=[^>]+\bsrc="([^"]+)")(?![^>]+\bintegrity="[^"]+")[^>]+)(?:\/>|><\/script>)/g
const SRI_LINK_RE = /<link((?=[^>]+\brel="(?:stylesheet|preload|modulepreload)")(?=[^>]+\bhref="([^"]+)")(?![^>]+\bintegrity="[\w\-+/=]+")[^>]+)>/g

declare module 'h3' {
  interface H3EventContext {
    /** Where nuxt-security kept the page's nonce; kept there for code that reads it. */
    security?: { nonce?: string }
  }
}

/** The page's nonce: 18 random bytes in base64, as nuxt-security drew it; one per render. */
function nonceOf(event: H3Event): string {
  event.context.security ??= {}
  return event.context.security.nonce ??= randomBytes(18).toString('base64')
}

function withNonce(element: string, nonce: string): string {
  const quotes: string[] = []
  let masked = element.replace(QUOTE_MASK_RE, (match) => {
    quotes.push(match)
    return `__QUOTE_PLACEHOLDER_${quotes.length - 1}__`
  })
  masked = masked.replace(LINK_RE, (match, rest: string) =>
    NONCE_RE.test(rest) ? match.replace(NONCE_RE, `nonce="${nonce}"`) : `<link nonce="${nonce}"${rest}`)
  masked = masked.replace(SCRIPT_RE, (_, rest: string) => `<script nonce="${nonce}"${rest}`)
  masked = masked.replace(STYLE_RE, (_, rest: string) => `<style nonce="${nonce}"${rest}`)
  return masked.replace(QUOTE_RESTORE_RE, (_, index: string) => quotes[Number(index)]!)
}

function withIntegrity(element: string): string {
  const hashes = sriHashes as Record<string, string>
  return element
    .replace(SRI_SCRIPT_RE, (match, rest: string, src: string) => hashes[src] ? `<script integrity="${hashes[src]}"${rest}></script>` : match)
    .replace(SRI_LINK_RE, (match, rest: string, href: string) => hashes[href] ? `<link integrity="${hashes[href]}"${rest}>` : match)
}

export default defineNitroPlugin((nitroApp) => {
  // Split once around the nonce: a render only joins the parts.
  const headers = Object.entries(pageSecurity.headers).map(([name, value]) => [name, value.split(NONCE_PLACEHOLDER)] as const)

  nitroApp.hooks.hook('render:html', (html, { event }) => {
    const nonce = pageSecurity.nonce ? nonceOf(event) : null
    for (const section of SECTIONS) {
      html[section] = html[section].map((element) => {
        if (typeof element !== 'string') return element
        if (pageSecurity.sri) element = withIntegrity(element)
        return nonce ? withNonce(element, nonce) : element
      })
    }
    if (import.meta.dev && nonce) html.head.push(`<meta property="csp-nonce" nonce="${nonce}">`)
  })

  nitroApp.hooks.hook('render:response', (response, { event }) => {
    if (pageSecurity.hidePoweredBy && response.headers) delete response.headers['x-powered-by']
    for (const [name, parts] of headers) {
      setResponseHeader(event, name, parts.length === 1 ? parts[0]! : parts.join(nonceOf(event)))
    }
    // Nuxt renders its error page at /__nuxt_error and, under `nuxt dev`, adds its overlay to it (modules/page-security.ts).
    if (import.meta.dev && pageSecurity.devErrorPageCsp && event.path.startsWith('/__nuxt_error')) {
      setResponseHeader(event, 'content-security-policy', pageSecurity.devErrorPageCsp)
    }
  })
})
