import type { LoggerService } from '@nestjs/common'
import type { Params } from 'nestjs-pino'
import type { IncomingMessage, ServerResponse } from 'node:http'
import pino from 'pino'
import type { AppConfig } from '../config/config'

/**
 * Logs. In production (and whenever LOG_FILE is set) one JSON object per line for the log shipper; in
 * development one short line per event for the person watching `pnpm start`. Request lines carry method,
 * path (never the query string, which may hold tokens or phone numbers), status and duration; headers and
 * bodies are never logged.
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
    autoLogging: {
      // The middleware sees `url` relative to its mount point; `originalUrl` is the whole path.
      ignore: (req: IncomingMessage) =>
        isHealthProbe((req as { originalUrl?: string }).originalUrl ?? req.url ?? ''),
    },
  }
  // LOG_FILE: appended synchronously, so every line is on disk when the process (or a test) ends.
  if (config.logFile) {
    return { pinoHttp: [options, pino.destination({ dest: config.logFile, mkdir: true, sync: true })] }
  }
  if (config.env === 'production') return { pinoHttp: options }
  return { pinoHttp: [options, compactStream(process.stdout)] }
}

/** Health probes (a balancer polls every few seconds) would drown the request lines: not logged. */
export function isHealthProbe(url: string): boolean {
  const path = url.split('?')[0]
  return path === '/api/health' || path.startsWith('/api/health/')
}

/** Nest's own start-up chatter at info level: a line per module and per route, 200 lines at every boot. */
const BOOT_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
])

/**
 * The application logger without Nest's start-up chatter (module initialised, route mapped, application
 * started); their warnings and errors still pass.
 */
export function withoutBootChatter(logger: LoggerService): LoggerService {
  return {
    log: (message: unknown, ...rest: unknown[]) => {
      if (BOOT_CONTEXTS.has(String(rest[rest.length - 1]))) return
      logger.log(message, ...rest)
    },
    error: (message: unknown, ...rest: unknown[]) => logger.error(message, ...rest),
    warn: (message: unknown, ...rest: unknown[]) => logger.warn(message, ...rest),
    debug: (message: unknown, ...rest: unknown[]) => logger.debug?.(message, ...rest),
    verbose: (message: unknown, ...rest: unknown[]) => logger.verbose?.(message, ...rest),
    fatal: (message: unknown, ...rest: unknown[]) =>
      (logger.fatal ?? logger.error).call(logger, message, ...rest),
  }
}

const LEVELS: Record<number, { label: string; color: string }> = {
  10: { label: 'TRACE', color: '90' },
  20: { label: 'DEBUG', color: '90' },
  30: { label: 'INFO ', color: '32' },
  40: { label: 'WARN ', color: '33' },
  50: { label: 'ERROR', color: '31' },
  60: { label: 'FATAL', color: '35' },
}

/** Fields every line has, or that the compact line shows in its own place. */
const SHOWN = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'context',
  'req',
  'res',
  'responseTime',
  'err',
])

function fieldValue(value: unknown): string {
  return typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)
}

/**
 * One pino JSON line as one readable line: `12:04:05 INFO  [DemoSeeder] demo data seeded`, a request as
 * `12:04:06 INFO  GET /api/requests 201 12 ms`, further fields as `key=value`, an error's stack below it.
 */
export function compactLine(json: string, color = false): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(json) as Record<string, unknown>
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`
  }
  // pino writes its level first; a logged object may carry a field of the same name, which JSON.parse
  // would keep instead.
  const levelNumber = Number(/^\{"level":(\d+)/.exec(json)?.[1] ?? entry.level)
  const level = LEVELS[levelNumber] ?? { label: String(levelNumber).padEnd(5), color: '0' }
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8)
  const parts = [time, color ? `\u001b[${level.color}m${level.label}\u001b[0m` : level.label]
  if (typeof entry.context === 'string') parts.push(`[${entry.context}]`)
  const req = entry.req as { method?: string; path?: string } | undefined
  const res = entry.res as { status?: number } | undefined
  if (req?.method && res?.status !== undefined) {
    parts.push(`${req.method} ${req.path ?? ''} ${res.status}`)
    if (typeof entry.responseTime === 'number') parts.push(`${entry.responseTime} ms`)
    // pino-http's own "request completed" says nothing the line does not.
    if (entry.msg !== 'request completed') parts.push(String(entry.msg))
  } else if (entry.msg !== undefined) {
    parts.push(String(entry.msg))
  }
  const err = entry.err as { message?: string; stack?: string } | string | undefined
  if (typeof err === 'string') parts.push(`err=${fieldValue(err)}`)
  else if (err?.message && !err.stack) parts.push(`err=${fieldValue(err.message)}`)
  if (entry.level !== levelNumber) parts.push(`level=${fieldValue(entry.level)}`)
  for (const [key, value] of Object.entries(entry)) {
    if (!SHOWN.has(key) && value !== undefined) parts.push(`${key}=${fieldValue(value)}`)
  }
  const stack = typeof err === 'object' && err?.stack ? `\n    ${err.stack.split('\n').join('\n    ')}` : ''
  return `${parts.join(' ')}${stack}\n`
}

/**
 * A pino destination that writes compact lines to `out` synchronously, so they keep their order with
 * anything else the process prints (the start banner follows the start-up logs).
 */
export function compactStream(out: NodeJS.WriteStream): { write(chunk: string): void } {
  // Colours on a terminal only: a pipe or file (tests, a harness, `> log`) gets plain text.
  const color = out.isTTY === true
  return {
    write: (chunk: string) => {
      for (const line of chunk.split('\n')) if (line) out.write(compactLine(line, color))
    },
  }
}
