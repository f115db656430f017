/**
 * The token route again, next to the emulator's gsi/client script, which
 * posts to its own sibling path (a CSP written for Google's gsi/ path then
 * covers it). Same handler as POST /_emulator/google/token.
 */
export { default } from '../token.post'
