import { taroMock } from '../../test/__mocks__/taro'
import { ApiError, getScanView, isApiError } from './client'

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
