import type { FastifyInstance } from 'fastify'
import { DomainError } from '../common/domain-error'

const UTF8 = new TextDecoder('utf-8', { fatal: true })
/** NUL (PostgreSQL text cannot hold it) and UTF-16 halves without their other half (not valid UTF-8). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text)

/** The path of the first string (or key) in `value` that the database could not store, or null. */
export function unstorablePath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return unstorable(value) ? path || '(body)' : null
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorablePath(item, path ? `${path}.${i}` : String(i))
      if (found) return found
    }
    return null
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key
      if (unstorable(key)) return at
      const found = unstorablePath(item, at)
      if (found) return found
    }
  }
  return null
}

/**
 * JSON bodies as Fastify parses them (prototype poisoning refused), but strict about text: bytes that
 * are not UTF-8 and strings the database cannot store (NUL, lone surrogates) are a 400 naming the field,
 * rather than replacement characters stored or a 500 from PostgreSQL deep in a transaction.
 */
export function acceptStrictJson(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error')
  fastify.removeContentTypeParser('application/json')
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string
    try {
      text = UTF8.decode(body as Buffer)
    } catch (error: unknown) {
      void error // TextDecoder's TypeError says no more than this does
      done(new DomainError('VALIDATION_FAILED', '提交的内容不是有效的 UTF-8 文字'), undefined)
      return
    }
    parse(request, text, (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined)
      const path = unstorablePath(value)
      if (path) {
        const message = '内容含有无法保存的字符（如空字符）'
        return done(new DomainError('VALIDATION_FAILED', message, [{ path, message }]), undefined)
      }
      done(null, value)
    })
  })
}
