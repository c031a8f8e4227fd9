import { redactPublicText } from '@mq/shared'
import type { RunningProduct } from './harness'

/**
 * Every name, phone and openid the product's database holds (residents, staff, proxy entries), every room,
 * and every request description the public-text rules would change — what a public page or a PDF for the
 * notice board must never contain. Strings shorter than two characters are left out (they would match
 * anything).
 */
export async function personalData(product: RunningProduct): Promise<string[]> {
  const values = await product.query<{ value: string }>(
    `SELECT value FROM (
       SELECT unnest(ARRAY[name, phone, openid]) AS value FROM resident
       UNION SELECT unnest(ARRAY[name, phone]) FROM staff
       UNION SELECT unnest(ARRAY[proxy_name, proxy_phone, room]) FROM ticket
     ) v WHERE value IS NOT NULL AND length(value) >= 2`,
  )
  const descriptions = await product.query<{ description: string }>(`SELECT description FROM ticket`)
  const out = values.map((v) => v.value)
  out.push(...descriptions.map((d) => d.description).filter((d) => redactPublicText(d) !== d))
  return out
}
