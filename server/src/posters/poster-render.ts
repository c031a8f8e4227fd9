import type * as Resvg from '@resvg/resvg-js'
import type PDFKitDocument from 'pdfkit'
import { loadOnUse } from '../common/load-on-use'
import type { PosterFonts } from './poster-fonts'
import type { PosterDrawing, QrOp } from './poster-layout'

/** resvg and pdfkit, loaded on first use: only poster requests need them. */
const resvg = loadOnUse<typeof Resvg>('@resvg/resvg-js')
const pdfkit = loadOnUse<typeof PDFKitDocument>('pdfkit')

/** PNG resolution: 200 dpi, sharp enough to print A4 and small enough to send in a chat (1654 × 2339 px). */
export const PNG_DPI = 200

const num = (n: number) => String(Math.round(n * 100) / 100)

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** SVG path data of a QR code's dark runs: one path, so no hairline seams appear between modules. */
function qrPathData(op: QrOp): string {
  const m = op.size / op.moduleCount
  return op.runs
    .map((r) => `M${num(op.x + r.col * m)} ${num(op.y + r.row * m)}h${num(r.length * m)}v${num(m)}h${num(-r.length * m)}Z`)
    .join('')
}

/**
 * The poster as a self-contained SVG: text is drawn as glyph outlines, so it looks the same in any
 * viewer or print shop, with or without a Chinese font installed. The words stay in the file as the
 * title and as each outline's aria-label, for search and screen readers.
 */
export function posterSvg(drawing: PosterDrawing, fonts: PosterFonts): string {
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 ${drawing.width} ${drawing.height}" role="img" aria-label="${escapeXml(drawing.title)}">`,
    `<title>${escapeXml(drawing.title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ]
  for (const op of drawing.ops) {
    switch (op.kind) {
      case 'rect': {
        const paint = [
          `fill="${op.fill ?? 'none'}"`,
          op.stroke ? `stroke="${op.stroke}" stroke-width="${num(op.strokeWidth)}"` : '',
          op.radius ? `rx="${num(op.radius)}"` : '',
        ]
        out.push(`<rect x="${num(op.x)}" y="${num(op.y)}" width="${num(op.width)}" height="${num(op.height)}" ${paint.filter(Boolean).join(' ')}/>`)
        break
      }
      case 'text':
        out.push(
          `<path aria-label="${escapeXml(op.text)}" fill="${op.color}" d="${fonts.outline(op.text, op.weight, op.size, op.x, op.baseline)}"/>`,
        )
        break
      case 'qr':
        out.push(`<rect x="${num(op.x)}" y="${num(op.y)}" width="${num(op.size)}" height="${num(op.size)}" fill="#ffffff"/>`)
        out.push(`<path fill="#000000" d="${qrPathData(op)}"/>`)
        break
    }
  }
  out.push('</svg>')
  return out.join('\n')
}

/** The SVG rasterised off the main thread (resvg); the SVG has no text elements, so no fonts are needed. */
export async function svgToPng(svg: string, widthPt: number, dpi = PNG_DPI): Promise<Buffer> {
  const image = await resvg().renderAsync(svg, {
    fitTo: { mode: 'width', value: Math.round((widthPt / 72) * dpi) },
    font: { loadSystemFonts: false },
    background: '#ffffff',
  })
  return image.asPng()
}

/**
 * One PDF, one A4 page per drawing. Text stays text, set in Noto Sans SC: pdfkit embeds only the
 * glyphs used (a subset of a few dozen characters, not the 10 MB font), so the file stays small
 * and the words stay searchable.
 */
export async function postersPdf(drawings: Iterable<PosterDrawing>, fonts: PosterFonts, title: string): Promise<Buffer> {
  const PDFDocument = pdfkit()
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    compress: true,
    info: { Title: title, Creator: '民情二维码', Producer: '民情二维码' },
    lang: 'zh-CN',
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  doc.registerFont('regular', fonts.regular.data)
  doc.registerFont('bold', fonts.bold.data)
  let pages = 0
  for (const drawing of drawings) {
    // A large compound takes seconds to draw: let other requests run in between.
    if (++pages % 20 === 0) await new Promise((resolve) => setImmediate(resolve))
    doc.addPage({ size: [drawing.width, drawing.height], margin: 0 })
    for (const op of drawing.ops) {
      switch (op.kind) {
        case 'rect':
          if (op.radius) doc.roundedRect(op.x, op.y, op.width, op.height, op.radius)
          else doc.rect(op.x, op.y, op.width, op.height)
          if (op.fill && op.stroke) doc.lineWidth(op.strokeWidth).fillAndStroke(op.fill, op.stroke)
          else if (op.fill) doc.fill(op.fill)
          else if (op.stroke) doc.lineWidth(op.strokeWidth).stroke(op.stroke)
          break
        case 'text':
          doc
            .font(op.weight)
            .fontSize(op.size)
            .fillColor(op.color)
            .text(op.text, op.x, op.baseline, { lineBreak: false, baseline: 'alphabetic' })
          break
        case 'qr': {
          doc.rect(op.x, op.y, op.size, op.size).fill('#ffffff')
          const m = op.size / op.moduleCount
          for (const r of op.runs) doc.rect(op.x + r.col * m, op.y + r.row * m, r.length * m, m)
          doc.fill('#000000')
          break
        }
      }
    }
  }
  doc.end()
  return done
}
