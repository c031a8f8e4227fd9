import { SERVICE_PROMISE, type ScanView } from '@mq/shared'
import { taroMock } from '../../test/__mocks__/taro'
import { ApiError, getScanView, isApiError } from './client'

const VIEW: ScanView = {
  token: 'abcDEF123456',
  unit: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d01', name: '2单元' },
  building: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d02', name: '3号楼' },
  compound: { id: '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03', name: '幸福里小区' },
  handlers: [],
  servicePromise: SERVICE_PROMISE,
  hotline: '12345',
  openInBuilding: 0,
}

function respond(statusCode: number, data: unknown) {
  taroMock.request.mockResolvedValueOnce({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' })
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    if (isApiError(error)) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

describe('getScanView', () => {
  it('GETs the by-token route with the token escaped', async () => {
    respond(404, { code: 'QR_NOT_FOUND', message: 'x', requestId: 'r' })
    await failure(getScanView('a/b'))
    expect(taroMock.request).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/api/places/by-token/a%2Fb', method: 'GET' }),
    )
  })

  it("turns the server's error body into an ApiError with code, message, status and requestId", async () => {
    respond(410, { code: 'QR_REPLACED', message: '这个二维码已更换', requestId: 'req-9' })
    const error = await failure(getScanView('abcDEF123456'))
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'QR_REPLACED', message: '这个二维码已更换', status: 410, requestId: 'req-9' })
  })

  it('reports a rejected request (no response) as NETWORK_ERROR with status 0', async () => {
    taroMock.request.mockRejectedValueOnce({ errMsg: 'request:fail' })
    const error = await failure(getScanView('abcDEF123456'))
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: 0 })
  })

  it('reports an error body that is not ours, or an unknown code, as BAD_RESPONSE', async () => {
    respond(502, null)
    expect(await failure(getScanView('abcDEF123456'))).toMatchObject({ code: 'BAD_RESPONSE', status: 502 })
    respond(500, { code: 'SOMETHING_ELSE', message: 'x' })
    expect(await failure(getScanView('abcDEF123456'))).toMatchObject({ code: 'BAD_RESPONSE', status: 500 })
  })

  it('rejects a 200 whose body is not a scan view (e.g. an HTML fallback)', async () => {
    respond(200, '<!DOCTYPE html><html></html>')
    expect(await failure(getScanView('abcDEF123456'))).toMatchObject({ code: 'BAD_RESPONSE', status: 200 })
  })
})

describe('getScanView with the view the QR URL put inline (H5)', () => {
  const holder = globalThis as { __mqScanView?: unknown }
  const platform = process.env.TARO_ENV
  beforeEach(() => {
    process.env.TARO_ENV = 'h5'
  })
  afterEach(() => {
    // (Assigning undefined to process.env would store the string 'undefined'.)
    if (platform === undefined) Reflect.deleteProperty(process.env, 'TARO_ENV')
    else process.env.TARO_ENV = platform
    delete holder.__mqScanView
  })

  it('takes the inline view once, for its own token, without a request; then asks the server', async () => {
    holder.__mqScanView = { token: VIEW.token, view: VIEW }
    respond(200, { ...VIEW, token: 'otherTOKEN99' })
    expect((await getScanView('otherTOKEN99')).token).toBe('otherTOKEN99')
    expect(taroMock.request).toHaveBeenCalledTimes(1) // another token: asked the server
    expect(holder.__mqScanView).toBeDefined() // and left the inline view alone
    taroMock.request.mockClear()

    expect(await getScanView(VIEW.token)).toEqual(VIEW)
    expect(taroMock.request).not.toHaveBeenCalled()
    expect(holder.__mqScanView).toBeUndefined()

    respond(200, VIEW)
    expect(await getScanView(VIEW.token)).toEqual(VIEW) // a retry or a second visit asks again
    expect(taroMock.request).toHaveBeenCalledTimes(1)
  })

  it('takes the inline view as the server wrote it, without waiting for the schemas (only answers are checked)', async () => {
    const view = { ...VIEW }
    holder.__mqScanView = { token: VIEW.token, view }
    expect(await getScanView(VIEW.token)).toBe(view)
  })
})
