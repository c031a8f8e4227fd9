import type { Params } from 'nestjs-pino'
import type { IncomingMessage, ServerResponse } from 'node:http'
import pino from 'pino'
import type { AppConfig } from '../config/config'

/**
 * Structured JSON logs. Request lines carry method, path (never the query string, which may hold
 * tokens or phone numbers), status and duration; headers and bodies are never logged.
 */
export function loggerOptions(config: AppConfig): Params {
  const options: NonNullable<Exclude<Params['pinoHttp'], unknown[]>> = {
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
    redact: {
      // Top level too: Nest's Logger merges an object it is given into the line itself.
      paths: [
        'req.headers',
        'res.headers',
        ...['password', 'phone', 'openid', 'session_key'].flatMap((key) => [key, `*.${key}`]),
      ],
      remove: true,
    },
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
  }
  // LOG_FILE: appended synchronously, so every line is on disk when the process (or a test) ends.
  return {
    pinoHttp: config.logFile
      ? [options, pino.destination({ dest: config.logFile, mkdir: true, sync: true })]
      : options,
  }
}
