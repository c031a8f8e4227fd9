import { PHOTO_MAX_BYTES as SHARED_MAX } from '@mq/shared/schemas'
import { storage } from '../../test/__mocks__/taro'
import { serve } from '../../test/fake-api'
import { ticketView } from '../../test/fixtures'
import { fileRequest, getMine, getRequest, newIdempotencyKey, residentTemplates, uploadPhoto } from './requests'

describe('resident API calls', () => {
  it('checks each answer against its shared schema: a wrong one is a clear error, not a crash in render', async () => {
    storage.set('mq.session.resident', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
    const good = ticketView()
    serve((call) =>
      call.url === `/api/requests/${good.id}`
        ? { statusCode: 200, data: good }
        : // A list whose item lacks most of a request's fields.
          { statusCode: 200, data: { items: [{ id: good.id, number: 'MQ000042' }], page: 1, pageSize: 50, total: 1 } },
    )
    await expect(getRequest(good.id)).resolves.toEqual(good)
    await expect(getMine()).rejects.toMatchObject({ code: 'BAD_RESPONSE', message: '服务返回的数据有误，请稍后重试' })
  })

  it('asks consent for at most three templates: resolved, then 请您补充, then accepted; never a type it does not know', async () => {
    storage.set('mq.session.resident', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
    const template = (type: string) => ({ type, templateId: `tpl-${type}`, unspent: 0 })
    serve(() => ({
      statusCode: 200,
      data: {
        wechat: true,
        // As a deployment might list them; `assigned` is a staff notice.
        templates: ['messaged', 'rejected', 'replied', 'accepted', 'assigned', 'asked', 'resolved'].map(template),
      },
    }))
    await expect(residentTemplates()).resolves.toEqual(['tpl-resolved', 'tpl-asked', 'tpl-accepted'])
  })

  it('makes a fresh Idempotency-Key the server accepts each time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()))
    expect(keys.size).toBe(50)
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('sends the Idempotency-Key header with the filing, as the resident', async () => {
    storage.set('mq.session.resident', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
    const calls = serve(() => ({ statusCode: 400, data: { code: 'VALIDATION_FAILED', message: 'x', requestId: 'r' } }))
    const body = { unitToken: 'abcDEF123456', category: 'other' as const, description: 'x', photoIds: [] }
    await expect(fileRequest(body, 'key-0000001')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(calls[0].header).toMatchObject({ 'Idempotency-Key': 'key-0000001', Authorization: 'Bearer access-1' })
  })

  it('refuses a photo still over 5 MB after shrinking (the phone could not read it) without uploading it', async () => {
    const onProgress = jest.fn()
    await expect(uploadPhoto({ kind: 'path', path: 'wxfile://big.jpg', size: SHARED_MAX + 1 }, onProgress)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    })
    expect(onProgress).not.toHaveBeenCalled()
  })
})
