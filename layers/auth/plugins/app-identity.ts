/**
 * The app's name and logo (NUXT_PUBLIC_APP_NAME, NUXT_PUBLIC_APP_LOGO) on
 * every page: tab titles end in the name, and the logo is the favicon. Set
 * here rather than in nuxt.config, so the run-time settings apply. And the
 * page's language on `<html lang>`.
 */
export default defineNuxtPlugin(() => {
  const { appName, appLogo } = useRuntimeConfig().public
  useHead({
    htmlAttrs: { lang: useNuxtApp().$i18n.locale },
    titleTemplate: title => title && title !== appName ? `${title} · ${appName}` : appName,
    // No logo: an empty icon, so browsers do not ask for a /favicon.ico that is not there.
    link: [appLogo ? { rel: 'icon', href: appLogo, type: appLogo.endsWith('.svg') ? 'image/svg+xml' : undefined } : { rel: 'icon', href: 'data:,' }],
  })
})
