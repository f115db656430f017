/**
 * The app's name and logo (NUXT_PUBLIC_APP_NAME, NUXT_PUBLIC_APP_LOGO) on
 * every page: tab titles end in the name, and the logo is the favicon. Set
 * here rather than in nuxt.config, so the run-time settings apply.
 */
export default defineNuxtPlugin(() => {
  const { appName, appLogo } = useRuntimeConfig().public
  useHead({
    titleTemplate: title => title && title !== appName ? `${title} · ${appName}` : appName,
    // No logo: an empty icon, so browsers do not ask for a /favicon.ico that is not there.
    link: [appLogo ? { rel: 'icon', href: appLogo, type: appLogo.endsWith('.svg') ? 'image/svg+xml' : undefined } : { rel: 'icon', href: 'data:,' }],
  })
})
