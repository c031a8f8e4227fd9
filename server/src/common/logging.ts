import type { Params } from 'nestjs-pino'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AppConfig } from '../config/config'

/**
 * Structured JSON logs. Request lines carry method, path (never the query string, which may hold
 * tokens or phone numbers), status and duration; headers and bodies are never logged.
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      // Fastify assigns the id (see bootstrap); reuse it so logs and error bodies agree.
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? '',
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: ServerResponse) => ({ status: res.statusCode }),
      },
      redact: { paths: ['req.headers', 'res.headers', '*.password', '*.phone', '*.openid', '*.session_key'], remove: true },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
    },
  }
}
