import { defineStore } from 'pinia'

/**
 * Non-secret choices remembered on this browser (localStorage, via
 * pinia-plugin-persistedstate). Never a token: nothing here is sensitive.
 * The language is the other one, kept in the `locale` cookie (written only
 * when the user picks one), where the server reads it for the first paint.
 */
export const usePreferencesStore = defineStore('preferences', () => {
  /** The last account used here: Google's `login_hint` on the sign-in page. */
  const lastEmail = ref<string | null>(null)
  return { lastEmail }
}, {
  persist: { storage: piniaPluginPersistedstate.localStorage() },
})
