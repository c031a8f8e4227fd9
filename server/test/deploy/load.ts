/** A bounded request loop through the balancer, recording every answer (a plain fetch loop, no tool). */

export interface Shot {
  kind: string
  method: string
  path: string
  headers?: Record<string, string>
  body?: string
  /** The answer that counts as success. */
  expect: number
}

export interface Sample {
  kind: string
  /** Milliseconds since the load began. */
  start: number
  end: number
  status: number | 'network-error'
  ok: boolean
  /** nginx's X-Upstream: the instance(s) tried, "a, b" when it retried. */
  upstream: string | null
}

export interface Load {
  /** Milliseconds since the load began. */
  now(): number
  stop(): Promise<Sample[]>
}

export function startLoad(options: {
  url: string
  concurrency: number
  /** Hard bounds: the loop ends at whichever comes first, or at stop(). */
  maxRequests: number
  maxMs: number
  shot: (worker: number, i: number) => Shot
}): Load {
  const began = performance.now()
  const now = () => performance.now() - began
  const samples: Sample[] = []
  let stopped = false
  let sent = 0
  async function worker(w: number): Promise<void> {
    for (let i = 0; !stopped && sent < options.maxRequests && now() < options.maxMs; i++) {
      sent++
      const shot = options.shot(w, i)
      const start = now()
      try {
        const res = await fetch(`${options.url}${shot.path}`, {
          method: shot.method,
          headers: shot.headers,
          body: shot.body,
          signal: AbortSignal.timeout(15_000),
        })
        await res.arrayBuffer()
        samples.push({
          kind: shot.kind,
          start,
          end: now(),
          status: res.status,
          ok: res.status === shot.expect,
          upstream: res.headers.get('x-upstream'),
        })
      } catch {
        samples.push({ kind: shot.kind, start, end: now(), status: 'network-error', ok: false, upstream: null })
      }
    }
  }
  const workers = Array.from({ length: options.concurrency }, (_, w) => worker(w))
  return {
    now,
    async stop() {
      stopped = true
      await Promise.all(workers)
      return samples.sort((a, b) => a.start - b.start)
    },
  }
}

export interface Figures {
  sent: number
  failures: number
  /** Failed requests that were already in flight when the instance was stopped or killed. */
  inFlightAtKill: number
  /**
   * Milliseconds from the kill until nginx noticed: the first answer after it that nginx had to get
   * elsewhere (a retry) or could not get (a failure), either of which marks the instance down (max_fails=1).
   */
  noticedAfterMs: number
  /** Failed requests sent after nginx noticed: the figure that must be 0. */
  failedAfterNotice: number
  /** Milliseconds from the kill to the end of the last failed request (0 without failures). */
  failureWindowMs: number
  /** Requests after the kill that nginx tried on the dead instance first and then answered from another. */
  retried: number
  durationMs: number
  perUpstream: Record<string, number>
  /** The failed requests: kind, answer, and when they started relative to the signal. */
  failed: string[]
}

export function figures(samples: Sample[], killAt: number, killed: string): Figures {
  const failed = samples.filter((s) => !s.ok)
  const retried = samples.filter((s) => s.end >= killAt && s.upstream?.includes(',') && s.upstream.includes(killed))
  const signals = [...failed, ...retried].filter((s) => s.end >= killAt).map((s) => s.end)
  const noticedAt = signals.length ? Math.min(...signals) : killAt
  const perUpstream: Record<string, number> = {}
  for (const s of samples) {
    const last = s.upstream?.split(',').pop()?.trim() ?? 'none'
    perUpstream[last] = (perUpstream[last] ?? 0) + 1
  }
  return {
    sent: samples.length,
    failures: failed.length,
    inFlightAtKill: failed.filter((s) => s.start < killAt).length,
    noticedAfterMs: Math.round(noticedAt - killAt),
    failedAfterNotice: failed.filter((s) => s.start > noticedAt).length,
    failureWindowMs: failed.length ? Math.round(Math.max(...failed.map((s) => s.end)) - killAt) : 0,
    retried: retried.length,
    durationMs: samples.length ? Math.round(Math.max(...samples.map((s) => s.end))) : 0,
    perUpstream,
    failed: failed.map((s) => {
      const ms = Math.round(s.start - killAt)
      return `${s.kind} ${s.status} sent ${Math.abs(ms)} ms ${ms < 0 ? 'before' : 'after'} the signal`
    }),
  }
}
