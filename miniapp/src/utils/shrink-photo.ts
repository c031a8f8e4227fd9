/**
 * Phone photos shrunk on the device before upload: a 12-megapixel shot is 4–8 MB, over the server's
 * 5 MB limit and slow on a weak connection, while 1600 px on the longest side is plenty to see a broken
 * lamp or a blocked stairwell. The target is a JPEG at quality 0.8, normally under 1 MB.
 *
 * The browser decodes the file and draws it on a canvas; WeChat uses its own compressImage. A file
 * that cannot be decoded is sent as it is: the server checks every upload by content and refuses what
 * is not a photo with its reason, which the tile then shows.
 */
import Taro from '@tarojs/taro'

/** The longest side a photo keeps after shrinking, in pixels. */
export const MAX_SIDE = 1600
/** What a shrunk photo should weigh at most; over it, it is encoded again smaller. */
export const TARGET_BYTES = 1024 * 1024
/** JPEG quality of the first attempt (0–1). */
export const QUALITY = 0.8

export interface Size {
  width: number
  height: number
}

/** One way to encode: the output size and the JPEG quality (0–1). */
export interface ShrinkStep extends Size {
  quality: number
}

/** The size that keeps the picture's proportions with its longest side at most `maxSide`. */
export function fitWithin(width: number, height: number, maxSide = MAX_SIDE): Size {
  const longest = Math.max(width, height)
  if (longest <= maxSide) return { width, height }
  const scale = maxSide / longest
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/** Whether a photo of these dimensions and bytes is sent as it is. */
export function smallEnough(size: Size, bytes: number): boolean {
  return Math.max(size.width, size.height) <= MAX_SIDE && bytes <= TARGET_BYTES
}

/**
 * The encodings to try in order until one weighs at most TARGET_BYTES: the fitted size at 0.8, then at
 * 0.65 (a busy picture such as foliage or gravel), then three quarters of that size at 0.65. The last
 * is kept whatever it weighs: under 1200 px at 0.65 a photo is far below the server's 5 MB.
 */
export function shrinkSteps(width: number, height: number): ShrinkStep[] {
  const fitted = fitWithin(width, height)
  const smaller = fitWithin(fitted.width, fitted.height, Math.round(Math.max(fitted.width, fitted.height) * 0.75))
  return [
    { ...fitted, quality: QUALITY },
    { ...fitted, quality: 0.65 },
    { ...smaller, quality: 0.65 },
  ]
}

// ---------------------------------------------------------------------------------------------------
// The browser

type Drawable = ImageBitmap | HTMLImageElement

/** The picture upright (EXIF orientation applied), or null when the file is not a picture we can read. */
async function decode(file: Blob): Promise<{ image: Drawable; size: Size; release: () => void } | null> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
      return { image: bitmap, size: { width: bitmap.width, height: bitmap.height }, release: () => bitmap.close() }
    } catch {
      // Not decodable here (or an older browser without the options): the <img> route below decides.
    }
  }
  const url = URL.createObjectURL(file)
  const image = new Image()
  const loaded = await new Promise<boolean>((resolve) => {
    image.onload = () => resolve(true)
    image.onerror = () => resolve(false)
    image.src = url
  })
  if (!loaded || image.naturalWidth === 0) {
    URL.revokeObjectURL(url)
    return null
  }
  return {
    image,
    size: { width: image.naturalWidth, height: image.naturalHeight },
    release: () => URL.revokeObjectURL(url),
  }
}

function encode(image: Drawable, step: ShrinkStep): Promise<Blob | null> {
  const canvas = document.createElement('canvas')
  canvas.width = step.width
  canvas.height = step.height
  const context = canvas.getContext('2d')
  if (!context) return Promise.resolve(null)
  // A transparent PNG would turn black as a JPEG.
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, step.width, step.height)
  context.imageSmoothingQuality = 'high'
  context.drawImage(image, 0, 0, step.width, step.height)
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', step.quality))
}

/** The renamed file for a shrunk photo: `IMG_0001.HEIC` → `IMG_0001.jpg`. */
function jpegName(name: string | undefined): string {
  const base = (name ?? '').replace(/\.[^./\\]*$/, '')
  return `${base || 'photo'}.jpg`
}

/**
 * A browser file ready to upload: shrunk to a JPEG when it is larger than needed, else the file itself
 * (also when it cannot be decoded, so the server can say why it is refused).
 */
export async function shrinkFile(file: Blob, name?: string): Promise<{ file: Blob; name: string }> {
  const original = { file, name: name ?? 'photo.jpg' }
  const decoded = await decode(file).catch(() => null)
  if (!decoded) return original
  try {
    if (smallEnough(decoded.size, file.size)) return original
    let best: Blob | null = null
    for (const step of shrinkSteps(decoded.size.width, decoded.size.height)) {
      best = await encode(decoded.image, step)
      if (!best || best.size <= TARGET_BYTES) break
    }
    // No canvas, or a picture that was already as small as it gets: the original is the better upload.
    if (!best || best.size >= file.size) return original
    return { file: best, name: jpegName(name) }
  } finally {
    decoded.release()
  }
}

// ---------------------------------------------------------------------------------------------------
// WeChat

async function fileSize(path: string): Promise<number | null> {
  try {
    const info = await Taro.getFileInfo({ filePath: path })
    return 'size' in info ? info.size : null
  } catch {
    return null
  }
}

/**
 * A WeChat temp file ready to upload: compressed with the platform's compressImage (its longest side
 * to 1600 px where the base library supports compressedWidth/Height, older ones only lower the
 * quality), again smaller when still over 1 MB; the original when it is not a picture WeChat can read.
 */
export async function shrinkPath(path: string, knownBytes?: number): Promise<{ path: string; size: number | null }> {
  let info: Taro.getImageInfo.SuccessCallbackResult
  try {
    info = await Taro.getImageInfo({ src: path })
  } catch {
    return { path, size: knownBytes ?? null }
  }
  // The stored pixels' sides (getImageInfo reports them before any EXIF turn). Only the longest is given
  // to compressImage; the other follows in proportion.
  const stored = { width: info.width, height: info.height }
  const bytes = knownBytes ?? (await fileSize(path))
  if (bytes !== null && smallEnough(stored, bytes)) return { path, size: bytes }
  let best = { path, size: bytes }
  for (const step of shrinkSteps(stored.width, stored.height)) {
    const side = stored.width >= stored.height ? { compressedWidth: step.width } : { compressedHeight: step.height }
    try {
      const res = await Taro.compressImage({ src: path, quality: Math.round(step.quality * 100), ...side })
      best = { path: res.tempFilePath, size: await fileSize(res.tempFilePath) }
    } catch {
      break // compressImage unavailable or failed: send what we have
    }
    if (best.size === null || best.size <= TARGET_BYTES) break
  }
  return best
}
