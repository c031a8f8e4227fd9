import { Logger } from '@nestjs/common'
import type { NestFastifyApplication } from '@nestjs/platform-fastify'
import type { FastifyInstance } from 'fastify'
import type { Server } from 'node:http'
import { Server as NetServer, type Socket } from 'node:net'
import { Lifecycle } from './lifecycle'

/** A connection that carries no request for this long while draining is closed: it is not coming back. */
const IDLE_GRACE_MS = 500

interface Connection {
  requests: number
  /** When its last request ended, or when it was opened. */
  idleSince: number
}

const tracked = new WeakMap<Server, Map<Socket, Connection>>()

/**
 * Counts requests per connection and in flight, and marks every response of a draining instance
 * `Connection: close`, so the client (or balancer) opens its next connection elsewhere.
 */
export function trackConnections(fastify: FastifyInstance, lifecycle: Lifecycle): void {
  const connections = new Map<Socket, Connection>()
  tracked.set(fastify.server, connections)
  fastify.server.on('connection', (socket: Socket) => {
    connections.set(socket, { requests: 0, idleSince: Date.now() })
    socket.once('close', () => connections.delete(socket))
  })
  fastify.addHook('onRequest', async (request, reply) => {
    lifecycle.requestStarted()
    const connection = connections.get(request.raw.socket)
    if (connection) connection.requests++
    // 'close' comes once per response: sent, or its connection gone.
    reply.raw.once('close', () => {
      lifecycle.requestFinished()
      if (connection) {
        connection.requests--
        connection.idleSince = Date.now()
      }
    })
  })
  fastify.addHook('onSend', async (_request, reply) => {
    if (lifecycle.draining) void reply.header('connection', 'close')
  })
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Graceful stop of the HTTP side: readiness turns 503 (balancers that poll it stop sending); after
 * `delayMs` the listener closes (new connections are refused, so nginx tries the next instance) and the
 * requests in flight finish. A connection accepted just before the listener closed is served too: it is
 * not cut while its request is on its way (Node's own close would cut it as idle, failing a POST the
 * balancer may not repeat); connections idle for IDLE_GRACE_MS are. After `timeoutMs` all are cut.
 */
export async function drain(app: NestFastifyApplication, options: { delayMs: number; timeoutMs: number }): Promise<void> {
  const logger = new Logger('Shutdown')
  const lifecycle = app.get(Lifecycle)
  const fastify = app.getHttpAdapter().getInstance()
  const server = fastify.server
  const connections = tracked.get(server) ?? new Map<Socket, Connection>()
  const started = Date.now()
  lifecycle.beginDrain()
  logger.log(`draining: readiness now 503, ${lifecycle.requestsInFlight} request(s) in flight`)
  if (options.delayMs > 0) await sleep(options.delayMs)

  if (server.listening) {
    // The net.Server close: stop accepting, keep the connections (http.Server's close would cut idle ones).
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()))
    const sweep = setInterval(() => {
      const now = Date.now()
      for (const [socket, c] of connections) if (c.requests === 0 && now - c.idleSince >= IDLE_GRACE_MS) socket.destroy()
    }, 50)
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs)
    })
    const outcome = await Promise.race([closed.then(() => 'closed' as const), timedOut])
    clearTimeout(timer)
    clearInterval(sweep)
    if (outcome === 'timeout') {
      logger.warn(`${lifecycle.requestsInFlight} request(s) still running after ${options.timeoutMs} ms: cutting them off`)
      server.closeAllConnections()
      await closed
    }
  }
  // Fastify's own close hooks; its listener is already closed.
  await fastify.close()
  logger.log(`HTTP closed after ${Date.now() - started} ms; in-flight requests finished`)
}
