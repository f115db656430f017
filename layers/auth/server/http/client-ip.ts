import { BlockList, isIP } from 'node:net'
import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import { builtAuthServices } from '../services'

declare module 'h3' {
  interface H3EventContext {
    /** The client's address, resolved on first use (getClientIp). */
    clientIp?: string | null
  }
}

/** Parses NUXT_AUTH_TRUSTED_PROXIES: addresses and CIDR ranges, IPv4 or IPv6. Returns the list and the entries it could not read. */
export function parseTrustedProxies(entries: string[]): { list: BlockList, invalid: string[] } {
  const list = new BlockList()
  const invalid: string[] = []
  for (const entry of entries) {
    const [address, prefix] = entry.split('/')
    const family = isIP(address ?? '')
    const bits = family === 6 ? 128 : 32
    if (!family || (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits))) {
      invalid.push(entry)
      continue
    }
    const type = family === 6 ? 'ipv6' : 'ipv4'
    if (prefix === undefined) list.addAddress(address!, type)
    else list.addSubnet(address!, Number(prefix), type)
  }
  return { list, invalid }
}

/** IPv4 clients of a dual-stack socket arrive as ::ffff:a.b.c.d. */
function normalise(address: string): string {
  const trimmed = address.trim()
  return trimmed.startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address)
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4')
}

/**
 * The client's IP: the socket's peer, unless that peer is a trusted reverse
 * proxy, then the right-most `X-Forwarded-For` entry that is not itself a
 * trusted proxy. Entries to its left are client-supplied and never trusted.
 */
export function resolveClientIp(peer: string | undefined, forwardedFor: string | undefined, trusted: BlockList | null): string | null {
  if (!peer) return null
  const address = normalise(peer)
  if (!trusted || !isTrusted(trusted, address) || !forwardedFor) return address
  const hops = forwardedFor.split(',').map(normalise).filter(hop => isIP(hop))
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(trusted, hops[i]!)) return hops[i]!
  }
  return hops[0] ?? address
}

/**
 * The client IP of a request, behind the configured trusted proxies
 * (NUXT_AUTH_TRUSTED_PROXIES), resolved on first use and remembered: only
 * the routes that limit, log or record clients pay for it.
 */
export function getClientIp(event: H3Event): string | null {
  if (event.context.clientIp === undefined) {
    const { trustedProxies } = builtAuthServices().config
    const forwardedFor = getRequestHeader(event, 'x-forwarded-for')
    // `nuxt dev` serves from a worker behind Nitro's own proxy, on a socket with no address; that proxy forwards the
    // browser's address as the last hop (or passes on a header the client sent itself: development only).
    const peer = event.node.req.socket?.remoteAddress ?? (import.meta.dev ? forwardedFor?.split(',').at(-1) : undefined)
    event.context.clientIp = resolveClientIp(peer, forwardedFor, trustedProxies)
  }
  return event.context.clientIp
}
