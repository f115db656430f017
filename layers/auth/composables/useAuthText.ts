/** The auth's sentences in the page's language: errors, sign-out reasons, devices, times. */
export function useAuthText() {
  const { t, locale } = useI18n()
  return {
    authError: (code: Parameters<typeof authErrorMessageKey>[0]) => t(authErrorMessageKey(code)),
    signOutReason: (reason: Parameters<typeof signOutMessageKey>[0]) => t(signOutMessageKey(reason)),
    /** "Chrome on Linux", "Linux 上的 Chrome". */
    device(userAgent: string | null): string {
      const { browser, system } = deviceOf(userAgent)
      if (browser && system) return t('device.on', { browser, system })
      return browser ?? system ?? t('device.unknown')
    },
    dateTime: (iso: string, timeZone?: string) => formatDateTime(iso, locale.value, timeZone),
  }
}
