import type { UseFetchOptions } from 'nuxt/app'

/**
 * `useFetch` over `$api` (Nuxt's custom-useFetch recipe): the same SSR and
 * caching as `useFetch`, plus refresh-on-401 and the cookies of this request.
 */
export function useApi<T>(url: string | (() => string), options: UseFetchOptions<T> = {}) {
  return useFetch(url, { ...options, $fetch: useNuxtApp().$api as unknown as typeof $fetch })
}
