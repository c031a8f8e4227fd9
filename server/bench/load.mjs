#!/usr/bin/env node
// The load process of the benchmark: runs apart from the server (and from the bench runner) and prints
// one JSON line with what it measured. Input: a JSON file named by argv[2].
//
//   { "mode": "create", baseUrl, connections, durationS, residents: [{ token, unitToken }], category }
//       autocannon, `connections` connections POSTing filings (each with a unique Idempotency-Key) as fast
//       as the server answers → { rps, ok, non2xx, errors, p50, p99 }
//   { "mode": "users", baseUrl, durationS, warmupS, thinkMs, users: [{ path, token }] }
//       one closed loop per user: request, wait for the answer, think (0–2× thinkMs), again, for warmupS
//       seconds unmeasured and then durationS measured. Every answer must be 200 (warm-up's too).
//       → { n, rps, p50, p90, p99, max } in ms, of the measured window; `answered`: 200s, warm-up's too
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'))

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

async function create() {
  const autocannon = require('autocannon')
  let next = 0
  const result = await autocannon({
    url: spec.baseUrl,
    connections: spec.connections,
    duration: spec.durationS,
    requests: [
      {
        method: 'POST',
        path: '/api/requests',
        setupRequest(req) {
          const who = spec.residents[next++ % spec.residents.length]
          return {
            ...req,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${who.token}`,
              'idempotency-key': randomUUID(),
            },
            body: JSON.stringify({
              unitToken: who.unitToken,
              category: spec.categories[next % spec.categories.length],
              description: '压力测试：楼道灯坏了，晚上很黑',
              contactConsent: false,
            }),
          }
        },
      },
    ],
  })
  const ok = result['2xx']
  const seconds = (new Date(result.finish).getTime() - new Date(result.start).getTime()) / 1000
  return {
    rps: ok / seconds,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statusCodes: result.statusCodeStats,
  }
}

async function users() {
  const url = new URL(spec.baseUrl)
  const agent = new Agent({ keepAlive: true, maxSockets: spec.users.length })
  const latencies = []
  const failures = []
  let answered = 0
  const warmupMs = (spec.warmupS ?? 0) * 1000
  let measuring = warmupMs === 0
  let started = Date.now()
  const end = started + warmupMs + spec.durationS * 1000
  const once = (user) =>
    new Promise((done) => {
      const start = process.hrtime.bigint()
      const counted = measuring
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: user.path,
          agent,
          headers: user.token ? { authorization: `Bearer ${user.token}` } : {},
        },
        (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (d) => (body += d))
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - start) / 1e6
            if (res.statusCode !== 200) failures.push(`${res.statusCode} ${user.path} ${body.slice(0, 200)}`)
            else {
              answered++
              if (counted) latencies.push(ms)
            }
            done()
          })
        },
      )
      req.on('error', (e) => {
        failures.push(`${user.path}: ${e.message}`)
        done()
      })
      req.end()
    })
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
  // The measured window starts after the warm-up: a request counts when it was sent inside it.
  if (!measuring)
    setTimeout(() => {
      measuring = true
      started = Date.now()
    }, warmupMs)
  await Promise.all(
    spec.users.map(async (user, i) => {
      // Spread the first requests over one think time, as people do not all click at once.
      await sleep((spec.thinkMs * i) / spec.users.length)
      while (Date.now() < end) {
        await once(user)
        await sleep(Math.random() * 2 * spec.thinkMs)
      }
    }),
  )
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return {
    n: latencies.length,
    rps: latencies.length / ((Date.now() - started) / 1000),
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    failures: failures.length,
    firstFailures: failures.slice(0, 3),
    answered,
  }
}

const result = spec.mode === 'create' ? await create() : await users()
process.stdout.write(`${JSON.stringify(result)}\n`)
