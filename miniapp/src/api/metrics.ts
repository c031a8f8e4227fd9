/**
 * Staff metrics: the four rates with their counts, the weekly trend, the building × category
 * heat table, the overdue / escalated lists and the ranking (考核排名). Checked with the shared schemas;
 * only the metrics and ranking pages (staff subpackage) import this module.
 */
import {
  type MetricGrouping,
  type Metrics,
  type MetricsAttention,
  type MetricsHeat,
  type MetricsWeekly,
  type Ranking,
  type RankingKey,
  type RankingWeightsInput,
} from '@mq/shared'
import {
  MetricsAttentionSchema,
  MetricsHeatSchema,
  MetricsSchema,
  MetricsWeeklySchema,
  RankingSchema,
  RankingWeightsSchema,
} from '@mq/shared/schemas'
import { staffCall } from './auth'
import { parseWith } from './client'

/** Requests filed in [from, to) under one place (a compound, or any place the caller may view). */
export interface MetricsScope {
  placeId: string
  from: string
  to: string
}

export async function metrics(scope: MetricsScope, groupBy?: MetricGrouping): Promise<Metrics> {
  return parseWith(MetricsSchema, await staffCall({ path: '/api/metrics', query: { ...scope, groupBy } }))
}

export async function metricsWeekly(scope: MetricsScope): Promise<MetricsWeekly> {
  return parseWith(MetricsWeeklySchema, await staffCall({ path: '/api/metrics/weekly', query: { ...scope } }))
}

export async function metricsHeat(scope: MetricsScope): Promise<MetricsHeat> {
  return parseWith(MetricsHeatSchema, await staffCall({ path: '/api/metrics/heat', query: { ...scope } }))
}

/** Open requests past their deadline, and escalated ones, under the place (not limited to the period). */
export async function metricsAttention(placeId: string, limit = 50): Promise<MetricsAttention> {
  return parseWith(MetricsAttentionSchema, await staffCall({ path: '/api/metrics/attention', query: { placeId, limit } }))
}

/** 考核排名 of the places one level below `placeId` (or the handlers there) for a month or a quarter. */
export async function ranking(query: {
  placeId: string
  period: string
  by: RankingKey
  of?: 'places' | 'handlers'
}): Promise<Ranking> {
  return parseWith(RankingSchema, await staffCall({ path: '/api/metrics/ranking', query: { ...query } }))
}

/** Sets a district's weights of the composite (percent, summing to 100): its district supervisors only. */
export async function setRankingWeights(districtId: string, weights: RankingWeightsInput): Promise<RankingWeightsInput> {
  return parseWith(
    RankingWeightsSchema,
    await staffCall({ method: 'PUT', path: `/api/metrics/ranking-weights/${encodeURIComponent(districtId)}`, json: weights }),
  )
}
