import { countTicket, emptyCounts, METRIC_KEYS, rate, type MetricGrouping, type MetricRates, type MetricTicket, type Role } from '@mq/shared'

/** For specs: the metrics' answer as shared countTicket() defines it, and the seeded generator they use. */

/** A small seeded generator, so a failure can be replayed. */
export function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A request as a spec knows it: its facts and its group keys. */
export interface KnownTicket extends MetricTicket {
  category: string
  buildingId: string
  handlerStaffId: string | null
  handlerRole: Role | null
}

/** The rates of `tickets` judged at `now`, as the API answers them. */
export function definedRates(tickets: readonly MetricTicket[], now: Date): MetricRates {
  const counts = tickets.reduce((acc, g) => countTicket(acc, g, now), emptyCounts())
  return {
    received: counts.resolution.denominator,
    ...Object.fromEntries(METRIC_KEYS.map((k) => [k, { ...counts[k], rate: rate(counts[k]) }])),
  } as MetricRates
}

/** The key of each grouping, as the API names groups. */
export const KEY_OF: Record<MetricGrouping, (g: KnownTicket) => string | null> = {
  role: (g) => g.handlerRole,
  person: (g) => g.handlerStaffId,
  category: (g) => g.category,
  building: (g) => g.buildingId,
}
