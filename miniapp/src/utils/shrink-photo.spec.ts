import { ApiError } from '@/api/client'
import { isRefusedPhoto } from '@/api/photo-upload'
import { MAX_SIDE, TARGET_BYTES, fitWithin, shrinkFile, shrinkSteps, smallEnough } from './shrink-photo'

describe('shrinking a photo before upload', () => {
  it('fits the longest side to 1600 px and keeps the proportions, landscape or portrait', () => {
    // A 12-megapixel phone photo, both ways up.
    expect(fitWithin(4032, 3024)).toEqual({ width: 1600, height: 1200 })
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 })
    // 16:9 and a panorama: the short side rounds to the nearest pixel.
    expect(fitWithin(4000, 2250)).toEqual({ width: 1600, height: 900 })
    expect(fitWithin(12000, 2000)).toEqual({ width: 1600, height: 267 })
    // A thin strip keeps at least one pixel.
    expect(fitWithin(20000, 3)).toEqual({ width: 1600, height: 1 })
  })

  it('leaves a picture at or under the limit as it is', () => {
    expect(fitWithin(1600, 1600)).toEqual({ width: 1600, height: 1600 })
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 })
    expect(fitWithin(1601, 10)).toEqual({ width: 1600, height: 10 })
  })

  it('sends a photo as it is only when both its sides and its bytes are small enough', () => {
    expect(smallEnough({ width: 1600, height: 1200 }, TARGET_BYTES)).toBe(true)
    expect(smallEnough({ width: 1600, height: 1200 }, TARGET_BYTES + 1)).toBe(false)
    expect(smallEnough({ width: 1601, height: 1200 }, 200_000)).toBe(false)
    expect(smallEnough({ width: 1200, height: MAX_SIDE + 1 }, 200_000)).toBe(false)
  })

  it('tries quality 0.8, then 0.65, then three quarters of the size at 0.65', () => {
    expect(shrinkSteps(4032, 3024)).toEqual([
      { width: 1600, height: 1200, quality: 0.8 },
      { width: 1600, height: 1200, quality: 0.65 },
      { width: 1200, height: 900, quality: 0.65 },
    ])
    // A photo already under 1600 px that is heavy in bytes (a PNG screenshot) is re-encoded at its size first.
    expect(shrinkSteps(1200, 1500)).toEqual([
      { width: 1200, height: 1500, quality: 0.8 },
      { width: 1200, height: 1500, quality: 0.65 },
      { width: 900, height: 1125, quality: 0.65 },
    ])
  })

  it('sends a file it cannot read as a picture unchanged, so the server can say why it is refused', async () => {
    // jsdom decodes no images: the same path a browser takes for a PDF renamed .jpg.
    const pdf = new Blob(['%PDF-1.7\n%%EOF\n'], { type: 'image/jpeg' })
    const ready = await shrinkFile(pdf, '楼道.jpg')
    expect(ready.file).toBe(pdf)
    expect(ready.name).toBe('楼道.jpg')
  })

  it('tells a refusal of the file (only 删除 helps) from a failed attempt (重试 may pass)', () => {
    expect(isRefusedPhoto(new ApiError('PAYLOAD_TOO_LARGE', '太大', 413))).toBe(true)
    expect(isRefusedPhoto(new ApiError('UNSUPPORTED_MEDIA_TYPE', '不是照片', 415))).toBe(true)
    expect(isRefusedPhoto(new ApiError('NETWORK_ERROR', '网络不好', 0))).toBe(false)
    expect(isRefusedPhoto(new ApiError('RATE_LIMITED', '太频繁', 429))).toBe(false)
    expect(isRefusedPhoto(new ApiError('BAD_RESPONSE', '服务暂时不可用（502）', 502))).toBe(false)
  })
})
