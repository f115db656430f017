/**
 * Any other /api path: a JSON 404 with the contract's code, without asking
 * the page renderer first. The one route without a method suffix, because
 * it stands for every method. (A known path with another method reaches
 * server/error.ts, which answers the same.)
 */
export default defineEventHandler(() => {
  throw authError('not_found', 'No such API endpoint.')
})
