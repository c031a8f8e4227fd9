/**
 * The minutes PDF needs the staff member's bearer token, so a plain link cannot fetch it: in H5 the file
 * is fetched as bytes and saved through a blob URL; in the mini-program it is downloaded with the header
 * and opened, from where it can be forwarded or printed.
 */
import Taro from '@tarojs/taro'
import { saveInBrowser } from '@/admin/save-file'
import { ApiError, errorFromResponse, isSuccess, send, urlFor, type RawResponse } from '@/api/client'
import { minutesPath } from '@/api/meetings'
import { withSession } from '@/api/session'

function filenameOf(header: string | undefined, id: string): string {
  const extended = header ? /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header) : null
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim())
    } catch {
      // A malformed escape: the plain name below.
    }
  }
  return `minutes-${id.slice(0, 8)}.pdf`
}

/** Downloads (H5: saves) the meeting's minutes; resolves with the file name or path. */
export async function downloadMinutes(id: string): Promise<string> {
  if (process.env.TARO_ENV !== 'h5') {
    const res = await withSession('staff', async (token): Promise<RawResponse> => {
      const file = await Taro.downloadFile({ url: urlFor(minutesPath(id)), header: { Authorization: `Bearer ${token}` } }).catch(() => {
        throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0)
      })
      return { status: file.statusCode, data: file.tempFilePath, header: {} }
    })
    if (!isSuccess(res)) throw new ApiError('BAD_RESPONSE', `纪要下载失败（${res.status}）`, res.status)
    await Taro.openDocument({ filePath: String(res.data), fileType: 'pdf', showMenu: true })
    return String(res.data)
  }
  const res = await withSession('staff', (token) => send({ path: minutesPath(id), binary: true, token }))
  if (!isSuccess(res)) throw errorFromResponse(res)
  const filename = filenameOf(res.header['content-disposition'], id)
  saveInBrowser(res.data as ArrayBuffer, 'application/pdf', filename)
  return filename
}
