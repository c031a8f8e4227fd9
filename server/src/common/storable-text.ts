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

/**
 * The path of the first string (or key) in `value` that the database could not store, or null. A walk
 * with its own stack: a body may be nested 100 000 deep, which recursion would not survive.
 */
export function unstorablePath(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }]
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value: current, path } = item
    if (typeof current === 'string') {
      if (!isStorableText(current)) return path || '(body)'
      continue
    }
    // Buffers are raw uploads (sheets): their parsers check the text they find inside.
    if (!current || typeof current !== 'object' || Buffer.isBuffer(current)) continue
    const children: { value: unknown; path: string }[] = []
    for (const [key, child] of Object.entries(current)) {
      const at = path ? `${path}.${key}` : key
      if (!isStorableText(key)) return at
      children.push({ value: child, path: at })
    }
    // Reversed onto the stack, so fields are visited in order and the first bad one is named.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
  }
  return null
}
