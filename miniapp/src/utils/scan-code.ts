import Taro from '@tarojs/taro'
import { tokenFromScan } from '@mq/shared'

/** The camera scanner exists only inside WeChat; H5 users scan with WeChat or the phone camera. */
export const CAN_SCAN_IN_APP = process.env.TARO_ENV === 'weapp'

/**
 * Opens the camera and returns the token of a stairwell QR code, or null when the user cancelled or the
 * code is not one of ours (the user has then been told so).
 */
export async function scanStairwellCode(): Promise<string | null> {
  let result: string
  try {
    const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
    result = res.result
  } catch {
    return null // cancelled
  }
  // The QR encodes the full URL `${PUBLIC_URL}/q/TOKEN`, the same as WeChat's `q` (minus the encoding).
  const token = tokenFromScan({ q: result })
  if (!token) {
    await Taro.showModal({
      title: '不是民情二维码',
      content: '请对准楼道（单元门口）张贴的「民情二维码」再扫一次。',
      showCancel: false,
      confirmText: '知道了',
    })
  }
  return token
}
