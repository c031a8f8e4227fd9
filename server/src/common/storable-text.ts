/**
 * Text PostgreSQL cannot store: NUL (a `text` value cannot hold it) and UTF-16 halves without their other
 * half (not encodable as UTF-8). Whatever the body's content type, such text is refused with a 400 naming
 * the field, rather than reaching the database and failing there with a 500.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export const UNSTORABLE_MESSAGE = '内容含有无法保存的字符（如空字符）'

export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text)
}

/** The path of the first string (or key) in `value` that the database could not store, or null. */
export function unstorablePath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path || '(body)'
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorablePath(item, path ? `${path}.${i}` : String(i))
      if (found) return found
    }
    return null
  }
  // Buffers are raw uploads (sheets): their parsers check the text they find inside.
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key
      if (!isStorableText(key)) return at
      const found = unstorablePath(item, at)
      if (found) return found
    }
  }
  return null
}
