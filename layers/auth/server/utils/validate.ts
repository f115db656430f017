import type { H3Event } from 'h3'
import { getRequestHeader } from 'h3'
import type { z } from 'zod'
import { MAX_BODY_BYTES } from '../../shared/constants'
import { authError } from './auth-error'

export type BodyFormat = 'json' | 'form'

interface ReadBodyOptions {
  /** Accept Google's redirect-mode `application/x-www-form-urlencoded` post. */
  allowForm?: boolean
  /** An empty body counts as `{}` (refresh and sign-out need none). */
  allowEmpty?: boolean
}

/**
 * Reads, size-limits, parses and validates a request body, so that every
 * route fails alike: 413 over 16 KiB, 415 for another content type, 400
 * `invalid_request` for malformed JSON or a schema mismatch.
 *
 * Not h3's `readValidatedBody`: its JSON parsing depends on the exact
 * content-type string (a `; charset=utf-8` suffix turns off strict parsing)
 * and a failure thrown from its validator lands at `data.data.code`.
 */
export async function readValidBody<S extends z.ZodType>(
  event: H3Event,
  schema: S,
  options: ReadBodyOptions = {},
): Promise<{ body: z.infer<S>, format: BodyFormat }> {
  const raw = await readLimitedBody(event)
  const contentType = (getRequestHeader(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()

  let parsed: unknown
  let format: BodyFormat = 'json'
  if (raw.length === 0 && options.allowEmpty) {
    parsed = {}
  }
  else if (contentType === 'application/json') {
    try {
      parsed = JSON.parse(raw.toString('utf8'))
    }
    catch {
      throw authError('invalid_request', 'The request body is not valid JSON.')
    }
  }
  else if (contentType === 'application/x-www-form-urlencoded' && options.allowForm) {
    parsed = Object.fromEntries(new URLSearchParams(raw.toString('utf8')))
    format = 'form'
  }
  else {
    throw authError('invalid_request', options.allowForm
      ? 'Send application/json or application/x-www-form-urlencoded.'
      : 'Send application/json.', 415)
  }

  const result = schema.safeParse(parsed)
  if (!result.success) {
    const issue = result.error.issues[0]
    const field = issue?.path.length ? issue.path.join('.') : 'body'
    throw authError('invalid_request', `Invalid ${field}: ${issue?.message ?? 'malformed'}.`)
  }
  return { body: result.data, format }
}

/**
 * Reads the raw body, refusing it once it passes the limit. Past the limit
 * the rest is drained unread rather than the stream destroyed: destroying
 * the request socket mid-response crashes Node's HTTP server bookkeeping.
 */
function readLimitedBody(event: H3Event): Promise<Buffer> {
  const declared = Number(getRequestHeader(event, 'content-length') ?? 0)
  if (declared > MAX_BODY_BYTES) return Promise.reject(tooLarge())

  const request = event.node.req
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk)
      request.off('data', onData)
      request.off('end', onEnd)
      request.resume()
      reject(tooLarge())
    }
    const onEnd = () => resolve(Buffer.concat(chunks))
    request.on('data', onData)
    request.once('end', onEnd)
    request.once('error', reject)
  })
}

function tooLarge() {
  return authError('invalid_request', `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`, 413)
}
