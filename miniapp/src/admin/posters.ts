/**
 * QR posters for printing. The poster routes need the admin's bearer token, so a plain link cannot
 * fetch them: in H5 the file is fetched as bytes and saved through a blob URL; in the mini-program it
 * is downloaded with the header and opened (PDF) or previewed (PNG), from where it can be forwarded.
 */
import Taro from '@tarojs/taro'
import { ApiError, errorFromResponse, isSuccess, send, urlFor, type RawResponse } from '@/api/client'
import { withSession } from '@/api/session'
import { saveInBrowser } from './save-file'

export type PosterTarget =
  | { kind: 'unit'; id: string; format: 'png' | 'svg' }
  | { kind: 'compound'; id: string }

const CONTENT_TYPES = { png: 'image/png', svg: 'image/svg+xml', pdf: 'application/pdf' } as const

function extensionOf(target: PosterTarget): keyof typeof CONTENT_TYPES {
  return target.kind === 'unit' ? target.format : 'pdf'
}

export function posterPath(target: PosterTarget): string {
  const id = encodeURIComponent(target.id)
  return target.kind === 'unit' ? `/api/posters/units/${id}.${target.format}` : `/api/posters/compounds/${id}.pdf`
}

/** SVG needs a browser to be useful; the mini-program offers PNG and PDF. */
export const SVG_POSTERS = process.env.TARO_ENV === 'h5'

/** The file name from Content-Disposition: the UTF-8 `filename*` (Chinese) first, else `filename`. */
export function filenameFromDisposition(header: string | undefined): string | null {
  if (!header) return null
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim())
    } catch {
      // A malformed escape: fall back to the plain name below.
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"|filename\s*=\s*([^;]+)/i.exec(header)
  return plain ? (plain[1] ?? plain[2]).trim() : null
}

async function downloadInMiniProgram(target: PosterTarget): Promise<string> {
  const res = await withSession('staff', async (token): Promise<RawResponse> => {
    const file = await Taro.downloadFile({ url: urlFor(posterPath(target)), header: { Authorization: `Bearer ${token}` } }).catch(
      () => {
        throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0)
      },
    )
    return { status: file.statusCode, data: file.tempFilePath, header: {} }
  })
  if (!isSuccess(res)) throw new ApiError('BAD_RESPONSE', `海报下载失败（${res.status}）`, res.status)
  const filePath = String(res.data)
  if (extensionOf(target) === 'pdf') await Taro.openDocument({ filePath, fileType: 'pdf', showMenu: true })
  else await Taro.previewImage({ urls: [filePath] })
  return filePath
}

/** Downloads a poster; resolves with the file name it was saved as. */
export async function downloadPoster(target: PosterTarget): Promise<string> {
  if (process.env.TARO_ENV !== 'h5') return downloadInMiniProgram(target)
  const res = await withSession('staff', (token) => send({ path: posterPath(target), binary: true, token }))
  if (!isSuccess(res)) throw errorFromResponse(res)
  const extension = extensionOf(target)
  const filename = filenameFromDisposition(res.header['content-disposition']) ?? `poster-${target.id.slice(0, 8)}.${extension}`
  saveInBrowser(res.data as ArrayBuffer, CONTENT_TYPES[extension], filename)
  return filename
}
