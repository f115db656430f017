declare module '#app' {
  interface PageMeta {
    /** true (default): signed-in users only; false: anyone; 'guest': signed-out users only. */
    auth?: boolean | 'guest'
  }
}

export {}
