/**
 * A fake API server behind the Taro.request mock: each request is recorded and answered by `handle`
 * a few milliseconds later, so concurrent calls really overlap.
 */
import { taroMock } from './__mocks__/taro'

export interface FakeCall {
  url: string
  method: string
  header: Record<string, string>
  data: unknown
}

export interface FakeReply {
  statusCode: number
  data: unknown
  header?: Record<string, string>
}

export function serve(handle: (call: FakeCall) => FakeReply | Promise<FakeReply>): FakeCall[] {
  const calls: FakeCall[] = []
  taroMock.request.mockImplementation(async (options: Partial<FakeCall>) => {
    const call: FakeCall = {
      url: options.url ?? '',
      method: options.method ?? 'GET',
      header: options.header ?? {},
      data: options.data,
    }
    calls.push(call)
    await new Promise((resolve) => setTimeout(resolve, 5))
    const reply = await handle(call)
    return { statusCode: reply.statusCode, data: reply.data, header: reply.header ?? {}, errMsg: 'request:ok' }
  })
  return calls
}

export function bearer(call: FakeCall): string | undefined {
  return call.header.Authorization?.replace(/^Bearer /, '')
}

/** The server's error body. */
export function errorReply(statusCode: number, code: string, message: string, details?: unknown[]): FakeReply {
  return { statusCode, data: { code, message, requestId: 'req-test', ...(details ? { details } : {}) } }
}
