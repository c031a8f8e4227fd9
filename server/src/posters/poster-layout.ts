import type * as QRCode from 'qrcode'
import { loadOnUse } from '../common/load-on-use'
import type { PosterWeight } from './poster-fonts'

/** qrcode (and the PNG encoder it brings) is loaded with the first poster: other requests never need it. */
const qrcode = loadOnUse<typeof QRCode>('qrcode')

/** A4 portrait in PostScript points (1/72 in): the unit of every coordinate below, in SVG and in PDF. */
export const A4 = { width: 595.28, height: 841.89 } as const

/** What one stairwell poster says. */
export interface PosterContent {
  compoundName: string
  buildingName: string
  unitName: string
  /** The URL the QR code encodes: `${PUBLIC_URL}/q/${token}`. */
  url: string
  servicePromise: string
  hotline: string
}

export interface RectOp {
  kind: 'rect'
  x: number
  y: number
  width: number
  height: number
  radius: number
  fill: string | null
  stroke: string | null
  strokeWidth: number
}

/** One line of text, already placed: `x` is its left end, `baseline` its alphabetic baseline. */
export interface TextOp {
  kind: 'text'
  text: string
  x: number
  baseline: number
  size: number
  weight: PosterWeight
  color: string
}

/**
 * A QR code as horizontal runs of dark modules, in module units, quiet zone included: `moduleCount`
 * modules span `size` points from (x, y).
 */
export interface QrOp {
  kind: 'qr'
  x: number
  y: number
  size: number
  moduleCount: number
  runs: { row: number; col: number; length: number }[]
}

export type PosterOp = RectOp | TextOp | QrOp

/** A poster as drawing operations, painted in order; the SVG and the PDF renderers both draw from it. */
export interface PosterDrawing {
  width: number
  height: number
  /** Plain-text summary, for the SVG title and accessibility. */
  title: string
  ops: PosterOp[]
}

export type Measure = (text: string, weight: PosterWeight, size: number) => number

/**
 * Error correction Q (25% of the symbol may be lost): stairwell posters get dirty, scratched and
 * partly covered. The URL is short, so the symbol stays small (version 3–4) and its modules large.
 */
export const QR_ERROR_CORRECTION = 'Q'
/** The quiet zone the QR standard asks for: 4 light modules on every side. */
export const QR_QUIET_ZONE = 4

export function qrRuns(text: string): Pick<QrOp, 'moduleCount' | 'runs'> {
  // One byte-mode segment: URLs are mixed case, so searching for a cheaper segmentation only costs time.
  const { modules } = qrcode().create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: QR_ERROR_CORRECTION })
  const runs: QrOp['runs'] = []
  for (let row = 0; row < modules.size; row++) {
    let start = -1
    for (let col = 0; col <= modules.size; col++) {
      const dark = col < modules.size && modules.get(row, col) === 1
      if (dark && start < 0) start = col
      if (!dark && start >= 0) {
        runs.push({ row: row + QR_QUIET_ZONE, col: start + QR_QUIET_ZONE, length: col - start })
        start = -1
      }
    }
  }
  return { moduleCount: modules.size + 2 * QR_QUIET_ZONE, runs }
}

const RED = '#b3151b'
const INK = '#1f1f1f'
const GREY = '#5c5c5c'
const CREAM = '#fff6e5'
const GOLD = '#ffe08a'

/**
 * The poster's layout. Type is large on purpose (many residents are elderly and read it from a step
 * or two away): the smallest line that matters is 22 pt (about 8 mm tall characters). Long names
 * shrink to fit the width instead of wrapping.
 */
export function posterLayout(content: PosterContent, measure: Measure): PosterDrawing {
  const { width: W, height: H } = A4
  const ops: PosterOp[] = []
  const margin = 40
  const maxWidth = W - 2 * margin

  const rect = (r: Omit<RectOp, 'kind' | 'radius' | 'fill' | 'stroke' | 'strokeWidth'> & Partial<RectOp>) =>
    ops.push({ kind: 'rect', radius: 0, fill: null, stroke: null, strokeWidth: 0, ...r })

  /** Centred text at most `size` points, smaller if it would not fit `within`. */
  const centred = (text: string, weight: PosterWeight, size: number, baseline: number, color: string, within = maxWidth) => {
    const natural = measure(text, weight, size)
    const fitted = natural > within ? (size * within) / natural : size
    const width = measure(text, weight, fitted)
    ops.push({ kind: 'text', text, x: (W - width) / 2, baseline, size: fitted, weight, color })
  }

  const place = `${content.buildingName} ${content.unitName}`

  // Header: where this code belongs, so a poster on the wrong stairwell is obvious.
  rect({ x: 0, y: 0, width: W, height: 160, fill: RED })
  centred(content.compoundName, 'bold', 46, 70, '#ffffff')
  centred(place, 'bold', 50, 138, GOLD)

  // The call to action.
  centred('扫码反映问题', 'bold', 60, 228, RED)
  centred('微信扫一扫，问题直达负责人', 'regular', 26, 268, INK)

  // The QR code on a white card with a red frame; the quiet zone is part of the symbol.
  const qr = qrRuns(content.url)
  const qrSize = 270
  const qrX = (W - qrSize) / 2
  const qrY = 292
  rect({ x: qrX - 6, y: qrY - 6, width: qrSize + 12, height: qrSize + 12, radius: 14, fill: '#ffffff', stroke: RED, strokeWidth: 4 })
  ops.push({ kind: 'qr', x: qrX, y: qrY, size: qrSize, ...qr })

  // The service promise, one commitment per line, under a "服务承诺" tab.
  const promiseTop = qrY + qrSize + 30
  const promiseHeight = 102
  rect({ x: margin, y: promiseTop, width: maxWidth, height: promiseHeight, radius: 12, fill: CREAM })
  const tabWidth = measure('服务承诺', 'bold', 17) + 32
  rect({ x: (W - tabWidth) / 2, y: promiseTop - 14, width: tabWidth, height: 28, radius: 14, fill: RED })
  centred('服务承诺', 'bold', 17, promiseTop + 6, '#ffffff')
  const parts = content.servicePromise.split(/\s*·\s*/)
  if (parts.length === 2) parts.forEach((line, i) => centred(line, 'bold', 30, promiseTop + 50 + i * 40, INK, maxWidth - 32))
  else centred(content.servicePromise, 'bold', 30, promiseTop + 68, INK, maxWidth - 32)

  // The fallback for residents without a smartphone.
  const phoneTop = promiseTop + promiseHeight
  centred('不用智能手机？请拨打电话', 'regular', 26, phoneTop + 42, INK)
  centred(content.hotline, 'bold', 54, phoneTop + 98, RED)

  // Small print: the URL itself, so staff can tell posters apart and type it if a scanner fails.
  centred(content.url, 'regular', 11, H - 16, GREY)

  return { width: W, height: H, title: `${content.compoundName} ${place} · 扫码反映问题`, ops }
}
