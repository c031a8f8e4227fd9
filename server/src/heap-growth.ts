import { setFlagsFromString } from 'node:v8'

/**
 * How far V8 lets the old generation grow past what the last full collection kept before it marks again:
 * 100%, i.e. up to twice the live heap (docs/adr/0009-heap-growth.md). V8's own factor is up to 4× once its
 * heap limit is 2 GB or more (Node sets the limit from the machine's memory: 4 GB on a 24 GB machine): with
 * some 60 MB live, the garbage promoted from requests piled up to 180 MB before the first full collection,
 * and the peak RSS under the benchmark's load was 280–295 MB. At 100% it was 215–225 MB, for a full
 * collection every several seconds under load (tens of milliseconds each, marked mostly concurrently). 50%
 * gave ~193 MB but measured a lower filing rate (twice the marking per byte promoted). V8 reads the factor
 * each time it sets its next limit, so setting it before the application loads governs the whole run. A
 * `--heap-growing-percent` given to node (on its command line or in NODE_OPTIONS) wins.
 */
export const HEAP_GROWING_PERCENT = 100

const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]
if (!given.some((flag) => /^--heap[-_]growing[-_]percent\b/.test(flag))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
}
