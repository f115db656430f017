/**
 * Wraps an async task so that concurrent callers share one run: while it is
 * in flight every caller gets the same promise. This is what turns N
 * requests failing together into one refresh.
 */
export function singleFlight<T>(task: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null
  return () => {
    inFlight ??= task().finally(() => {
      inFlight = null
    })
    return inFlight
  }
}
