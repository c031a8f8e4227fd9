import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingMessage } from 'node:http'
import { acceptStrictBodies, refuseUnstorableText } from './abuse/strict-bodies'
import { acceptSheetUploads } from './common/sheet-upload'
import { sendClientError, sendError } from './common/exception.filter'
import type { AppConfig } from './config/config'
import { trackConnections } from './health/drain'
import { Lifecycle } from './health/lifecycle'
import { isOpen311Url, sendOpen311Error } from './open311/open311.errors'

// How the product handles HTTP around Nest, in one place: the application (bootstrap.ts) and the medium
// tests that boot a few modules (test/app.ts) wire Fastify with these same functions.

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/

function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}

/** Errors outside the controllers' own filters: GeoReport's shape under /open311, the product's elsewhere. */
function sendAnyError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (isOpen311Url(request.url)) sendOpen311Error(error, request, reply)
  else sendError(error, request, reply)
}

/** The Fastify adapter with the product's request ids, limits and error shapes. */
export function productAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    genReqId: requestId,
    bodyLimit: 1024 * 1024,
    // Whose X-Forwarded-For names the client (request.ip: per-address limits, logs): TRUST_PROXY.
    trustProxy: config.trustProxy,
    // A request on a connection accepted before the listener closed is served, not refused with 503:
    // drain() waits for it, and a balancer never repeats a POST that got an answer.
    return503OnClosing: false,
    // The router's refusals (bad % encoding in the path, a path parameter over 100 characters) in the
    // product's error shape rather than Fastify's own JSON, which carries no request id.
    frameworkErrors: sendAnyError,
    // A request Node's HTTP parser refuses (malformed, headers too large, timed out) never reaches Fastify.
    clientErrorHandler: sendClientError,
  })
}

/** Hooks on the application's Fastify instance, before `app.init()`. */
export function wireBeforeInit(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance()
  // CSV/XLSX uploads (staff and place imports) arrive as the raw request body.
  acceptSheetUploads(fastify)
  // Errors Fastify raises before Nest sees the request (bad JSON, unknown content type, body too large)
  // get the same shape as every other error. (Fastify warns once that this replaces Nest's handler.)
  fastify.setErrorHandler((error, request, reply) => sendAnyError(error, request, reply))
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id)
  })
  // NUL and lone surrogates in parameters, query or any parsed body: a 400 naming the field.
  refuseUnstorableText(fastify)
  // In-flight requests and connections, for a graceful drain on SIGTERM (health/drain.ts).
  trackConnections(fastify, app.get(Lifecycle))
}

/**
 * After `app.init()`, which registers Nest's JSON and form parsers: a body that is not UTF-8 (or, in a
 * form, a % escape that is not) is a 400, not replacement characters stored.
 */
export function wireAfterInit(app: NestFastifyApplication): void {
  acceptStrictBodies(app.getHttpAdapter().getInstance())
}
