/**
 * Times as people here read them: Asia/Shanghai (UTC+8, no daylight saving), whatever the device's own
 * time zone, so an admin's laptop set to UTC and a handler's phone agree with the server's messages.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000

function parts(at: Date | number | string) {
  const d = new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS)
  const pad = (n: number) => String(n).padStart(2, '0')
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    hm: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    s: pad(d.getUTCSeconds()),
  }
}

/** 10:35 */
export function clockTime(at: Date | number | string): string {
  return parts(at).hm
}

/** 2026-11-21 10:35 */
export function dateTime(at: Date | number | string): string {
  const p = parts(at)
  return `${p.date} ${p.hm}`
}

/** 2026-11-21 10:35:07 */
export function dateTimeSeconds(at: Date | number | string): string {
  const p = parts(at)
  return `${p.date} ${p.hm}:${p.s}`
}
