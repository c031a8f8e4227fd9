// Seeded pseudo-random numbers for the benchmark data set: the same seed always gives the same rows.

/** sfc32: small, fast and good enough for synthetic data (not for anything secret). */
export function sfc32(a, b, c, d) {
  return function next() {
    a |= 0
    b |= 0
    c |= 0
    d |= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
}

/** A 32-bit hash of a few integers (murmur3 finaliser), to seed one stream per (seed, kind, index). */
function mix(h) {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * An independent stream for item `index` of `kind`: generating item i never depends on how many items
 * came before it, so a data set can be topped up (10k → 100k → 1M) and still equal a fresh one.
 */
export function streamFor(seed, kind, index) {
  const k = mix(seed ^ Math.imul(kind, 0x9e3779b1))
  const i = mix(index ^ 0x5bd1e995)
  const rand = sfc32(k, i, mix(k ^ i), mix(index + kind * 7919 + seed))
  for (let n = 0; n < 12; n++) rand()
  return rand
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** A version-4-shaped UUID drawn from `rand`. */
export function uuid(rand) {
  const b = new Array(16)
  for (let i = 0; i < 16; i++) b[i] = Math.floor(rand() * 256)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = b.map((x) => HEX[x])
  return `${h[0]}${h[1]}${h[2]}${h[3]}-${h[4]}${h[5]}-${h[6]}${h[7]}-${h[8]}${h[9]}-${h.slice(10).join('')}`
}

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'

/** A base64url-alphabet token of `length` characters. */
export function token(rand, length) {
  let s = ''
  for (let i = 0; i < length; i++) s += TOKEN_CHARS[Math.floor(rand() * 64)]
  return s
}

/** Picks from `[value, weight][]`. */
export function weighted(rand, table) {
  let total = 0
  for (const [, w] of table) total += w
  let r = rand() * total
  for (const [v, w] of table) {
    r -= w
    if (r < 0) return v
  }
  return table[table.length - 1][0]
}

export function pick(rand, list) {
  return list[Math.floor(rand() * list.length)]
}
