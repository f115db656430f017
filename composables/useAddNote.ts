import type { NoteResponse, NotesResponse } from '#shared/notes'

/**
 * Adding a note from a `NoteComposer` (home and /notes): the note goes first
 * in `notes` (a `useApi` result's data), the composer (bind it with
 * `ref="composer"`) is cleared, and `problem` says why when it could not be saved.
 */
export function useAddNote(notes: { value: NotesResponse | null | undefined }, problem: { value: string | null }) {
  const { $api } = useNuxtApp()
  const { t } = useI18n()
  const { authError } = useAuthText()
  const composer = ref<{ clear: () => void }>()
  const saving = ref(false)

  async function add(text: string) {
    saving.value = true
    problem.value = null
    try {
      const { note } = await $api<NoteResponse>('/api/notes', { method: 'POST', body: { text } })
      notes.value = { notes: [note, ...(notes.value?.notes ?? [])] }
      composer.value?.clear()
    }
    catch (e) {
      problem.value = isNetworkError(e) ? t('notes.unreachableSave') : authError(apiErrorCode(e))
    }
    finally {
      saving.value = false
    }
  }
  return { composer, saving, add }
}
