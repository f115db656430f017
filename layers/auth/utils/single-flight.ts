/**
 * Wraps an async task so that concurrent callers share one run: while it is
 * in flight every caller gets the same promise. This is what turns N
 * requests failing together into one refresh.
 */
export function singleFlight<A extends unknown[], T>(task: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let inFlight: Promise<T> | null = null
  return (...args: A) => {
    // The first caller's arguments start the run; later callers join it.
    inFlight ??= task(...args).finally(() => {
      inFlight = null
    })
    return inFlight
  }
}
