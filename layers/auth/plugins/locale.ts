/**
 * The page's language, chosen on the server so the first paint is in it:
 * the one picked in the header's switch (the `locale` cookie), else the
 * first the browser asks for (Accept-Language) that the app offers, else
 * the default. The browser takes the server's choice (no second guess that
 * could differ during hydration).
 */
export default defineNuxtPlugin({
  name: 'auth-locale',
  dependsOn: ['i18n:plugin'],
  async setup() {
    const { locale, localeCodes, setLocale } = useNuxtApp().$i18n
    const chosen = useCookie(LOCALE_COOKIE)
    const codes = localeCodes.value
    const pageLocale = useState('auth-locale', () =>
      codes.find(code => code === chosen.value) ?? preferredLocale(useRequestHeader('accept-language'), codes) ?? locale.value)
    if (pageLocale.value !== locale.value) await setLocale(pageLocale.value as typeof locale.value)
  },
})
