import { PAGES, pageUrl, type RankingKey } from '@mq/shared'

const RANKING_PAGE = pageUrl(PAGES.staff.ranking)

/** The ranking and drill-down page of a place (the caller's top place when none), period and figure. */
export function rankingUrl(q: { placeId?: string; period?: string; by?: RankingKey; of?: 'places' | 'handlers' }): string {
  const query = Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&')
  return query ? `${RANKING_PAGE}?${query}` : RANKING_PAGE
}
