import { defineStore } from 'pinia'

/**
 * Non-secret choices remembered on this browser (localStorage, via
 * pinia-plugin-persistedstate). Never a token: nothing here is sensitive.
 */
export const usePreferencesStore = defineStore('preferences', () => {
  /** The last account used here: Google's `login_hint` on the sign-in page. */
  const lastEmail = ref<string | null>(null)
  return { lastEmail }
}, {
  persist: { storage: piniaPluginPersistedstate.localStorage() },
})
