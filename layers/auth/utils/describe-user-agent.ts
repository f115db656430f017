const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'], [/OPR\/|Opera/, 'Opera'], [/SamsungBrowser/, 'Samsung Internet'], [/Firefox\//, 'Firefox'],
  [/Chrome\/|Chromium\//, 'Chrome'], [/Safari\//, 'Safari'], [/curl\//, 'curl'], [/^node$|undici|node-fetch/, 'Node.js'],
]
const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'], [/iPhone|iPad|iPod/, 'iOS'], [/Windows/, 'Windows'], [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'], [/Linux/, 'Linux'],
]

/** The browser and the system named by a User-Agent header (either may be missing): enough to recognise a device, not a fingerprint. */
export function deviceOf(userAgent: string | null): { browser?: string, system?: string } {
  if (!userAgent) return {}
  return {
    browser: BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1],
    system: SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1],
  }
}
