import { taroMock } from '../../test/__mocks__/taro'
import { scanStairwellCode } from './scan-code'

describe('scanStairwellCode', () => {
  it('returns the token of one of our QR URLs', async () => {
    taroMock.scanCode.mockResolvedValueOnce({ result: 'https://mq.example.cn/q/abcDEF123456', errMsg: 'scanCode:ok' })
    await expect(scanStairwellCode()).resolves.toBe('abcDEF123456')
    expect(taroMock.showModal).not.toHaveBeenCalled()
  })

  it('tells the user when the code is not ours', async () => {
    taroMock.scanCode.mockResolvedValueOnce({ result: 'https://example.com/hello', errMsg: 'scanCode:ok' })
    await expect(scanStairwellCode()).resolves.toBeNull()
    expect(taroMock.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '不是民情二维码' }))
  })

  it('returns null quietly when the user cancels', async () => {
    await expect(scanStairwellCode()).resolves.toBeNull()
    expect(taroMock.showModal).not.toHaveBeenCalled()
  })
})
