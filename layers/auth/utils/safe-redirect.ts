export { safeRedirectPath } from '../shared/redirect-path'
