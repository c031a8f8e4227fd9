import { z } from 'zod'

/** For the balancer and the process supervisor; not part of the product's vocabulary in shared/. */
export const LivenessSchema = z.object({
  status: z.literal('alive'),
  version: z.string(),
  uptimeSeconds: z.number(),
})
export type Liveness = z.infer<typeof LivenessSchema>

export const ReadinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['up', 'down']),
  /** True from SIGTERM on: finishing what it has, taking nothing new. */
  draining: z.boolean(),
})
export type Readiness = z.infer<typeof ReadinessSchema>
