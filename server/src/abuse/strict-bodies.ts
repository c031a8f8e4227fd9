import type { FastifyInstance, FastifyRequest } from 'fastify'
import { DomainError } from '../common/domain-error'
import { UNSTORABLE_MESSAGE, unstorablePath } from '../common/storable-text'

const UTF8 = new TextDecoder('utf-8', { fatal: true })
const FORM = 'application/x-www-form-urlencoded'

function decodeUtf8(body: Buffer): string {
  try {
    return UTF8.decode(body)
  } catch (error: unknown) {
    void error // TextDecoder's TypeError says no more than this does
    throw new DomainError('VALIDATION_FAILED', '提交的内容不是有效的 UTF-8 文字')
  }
}

/**
 * A form body (`a=1&b=x%20y`) as an object: a repeated name gives an array, as Fastify's own parser does.
 * Strict where that parser is lenient: a `%` escape that is not UTF-8 is a 400 naming the field, not text
 * kept with its `%` signs. `Object.fromEntries` defines own properties, so `__proto__=x` is only a name.
 */
export function parseForm(text: string): Record<string, string | string[]> {
  const fields = new Map<string, string[]>()
  for (const pair of text.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const [rawName, rawValue] = eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]
    const decode = (part: string, field: string) => {
      try {
        return decodeURIComponent(part.replace(/\+/g, ' '))
      } catch (error: unknown) {
        void error // URIError names no more than the field does
        const message = '表单内容的 % 编码有误'
        throw new DomainError('VALIDATION_FAILED', message, [{ path: field, message }])
      }
    }
    const name = decode(rawName, rawName.slice(0, 40) || '(body)')
    const values = fields.get(name) ?? []
    values.push(decode(rawValue, name))
    fields.set(name, values)
  }
  return Object.fromEntries([...fields].map(([name, values]) => [name, values.length === 1 ? values[0] : values]))
}

/**
 * JSON and form bodies as text: bytes that are not UTF-8 are a 400, rather than replacement characters
 * stored. JSON keeps Fastify's parser (prototype poisoning refused). Call after `app.init()`, which
 * registers Nest's lenient parsers for both types.
 */
export function acceptStrictBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error')
  fastify.removeContentTypeParser(['application/json', FORM])
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string
    try {
      text = decodeUtf8(body as Buffer)
    } catch (error) {
      return done(error as Error, undefined)
    }
    parseJson(request, text, done)
  })
  fastify.addContentTypeParser(FORM, { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseForm(decodeUtf8(body as Buffer)))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
}

/** The first field of the request's parameters, query or parsed body that the database could not store. */
function unstorableField(request: FastifyRequest): string | null {
  const params = unstorablePath(request.params)
  if (params) return `params.${params}`
  const query = unstorablePath(request.query)
  if (query) return `query.${query}`
  return unstorablePath(request.body)
}

/**
 * One guard for every parsed input, whatever its content type (JSON, form, text; multipart and sheet
 * uploads are streams and buffers, checked by their own readers): text PostgreSQL cannot store (NUL,
 * lone surrogates) is a 400 naming the field, before any handler or query sees it. Register before
 * `app.init()` so it covers every route.
 */
export function refuseUnstorableText(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request) => {
    const path = unstorableField(request)
    if (path) throw new DomainError('VALIDATION_FAILED', UNSTORABLE_MESSAGE, [{ path, message: UNSTORABLE_MESSAGE }])
  })
}
