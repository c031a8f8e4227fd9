import { PHOTO_FIELD as SHARED_FIELD, PHOTO_MAX_BYTES as SHARED_MAX } from '@mq/shared'
import { storage } from '../../test/__mocks__/taro'
import { serve } from '../../test/fake-api'
import { PHOTO_FIELD, PHOTO_MAX_BYTES, fileRequest, newIdempotencyKey, uploadPhoto } from './requests'

describe('resident API calls', () => {
  it('restates the photo upload contract exactly as shared defines it', () => {
    expect(PHOTO_FIELD).toBe(SHARED_FIELD)
    expect(PHOTO_MAX_BYTES).toBe(SHARED_MAX)
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

  it('refuses a photo over 5 MB before uploading it', async () => {
    const onProgress = jest.fn()
    await expect(uploadPhoto({ kind: 'path', path: 'wxfile://big.jpg', size: SHARED_MAX + 1 }, onProgress)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    })
    expect(onProgress).not.toHaveBeenCalled()
  })
})
