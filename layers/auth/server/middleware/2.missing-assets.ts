import { isAssetPath, sendAssetNotFound } from '../http/asset-paths'

/**
 * A file path that the static handler did not serve (it runs before every
 * middleware, and itself throws a 404 for a missing `/_nuxt/` file, which
 * server/error.ts answers the same way) is answered here, before the page
 * session or the renderer spend anything on it.
 */
export default defineEventHandler((event) => {
  if (isAssetPath(event.path)) return sendAssetNotFound(event)
})
