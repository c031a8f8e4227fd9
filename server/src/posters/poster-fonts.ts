import type * as Fontkit from 'fontkit'
import type { Font, GlyphRun } from 'fontkit'
import { loadOnUse } from '../common/load-on-use'

/** fontkit, loaded with the fonts: only poster requests need it. */
const fontkit = loadOnUse<typeof Fontkit>('fontkit')
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export type PosterWeight = 'regular' | 'bold'

/**
 * Noto Sans SC (SIL Open Font License 1.1), vendored whole under `assets/fonts/` of the server package
 * (see its README): static TrueType instances, so fontkit can lay out, outline and subset them.
 */
const FONT_FILES: Record<PosterWeight, string> = {
  regular: 'NotoSansSC_400Regular.ttf',
  bold: 'NotoSansSC_700Bold.ttf',
}

/**
 * `assets/fonts` of the server package: found from this file's folder upwards (the package's
 * package.json), so sources under test and any build folder (`dist/`, others) find the same files.
 */
function fontsDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'assets', 'fonts')
    if (dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}: cannot find assets/fonts`)
  }
}

/** One loaded font: its bytes (pdfkit embeds a subset of them) and the parsed font for measuring and outlining. */
export interface PosterFont {
  data: Buffer
  font: Font
}

export interface PosterFonts {
  regular: PosterFont
  bold: PosterFont
  /** Advance width of `text` at `size` (same units as `size`). */
  measure(text: string, weight: PosterWeight, size: number): number
  /** SVG path data of `text` drawn with its left end at `x` and its baseline at `baseline`. */
  outline(text: string, weight: PosterWeight, size: number, x: number, baseline: number): string
}

async function loadFont(file: string): Promise<PosterFont> {
  const data = await readFile(join(fontsDir(), file))
  const font = fontkit().create(data)
  if (!('layout' in font)) throw new Error(`${file} is a font collection, expected a single font`)
  return { data, font }
}

const round = (n: number) => Math.round(n * 100) / 100

/** Glyph outlines in font units, y up, keyed by font and glyph id: the same characters recur on every poster. */
const glyphPathCache = new WeakMap<Font, Map<number, { command: string; args: number[] }[]>>()

function glyphCommands(font: Font, run: GlyphRun, i: number) {
  let cache = glyphPathCache.get(font)
  if (!cache) glyphPathCache.set(font, (cache = new Map()))
  const glyph = run.glyphs[i]
  let commands = cache.get(glyph.id)
  if (!commands) {
    commands = glyph.path.commands.map((c) => ({ command: c.command, args: [...c.args] }))
    cache.set(glyph.id, commands)
  }
  return commands
}

function outlineRun(font: Font, text: string, size: number, x: number, baseline: number): string {
  const run = font.layout(text)
  const scale = size / font.unitsPerEm
  const out: string[] = []
  let pen = 0
  for (let i = 0; i < run.glyphs.length; i++) {
    const pos = run.positions[i]
    const ox = x + (pen + pos.xOffset) * scale
    const oy = baseline - pos.yOffset * scale
    const pt = (px: number, py: number) => `${round(ox + px * scale)} ${round(oy - py * scale)}`
    for (const { command, args } of glyphCommands(font, run, i)) {
      switch (command) {
        case 'moveTo':
          out.push(`M${pt(args[0], args[1])}`)
          break
        case 'lineTo':
          out.push(`L${pt(args[0], args[1])}`)
          break
        case 'quadraticCurveTo':
          out.push(`Q${pt(args[0], args[1])} ${pt(args[2], args[3])}`)
          break
        case 'bezierCurveTo':
          out.push(`C${pt(args[0], args[1])} ${pt(args[2], args[3])} ${pt(args[4], args[5])}`)
          break
        case 'closePath':
          out.push('Z')
          break
      }
    }
    pen += pos.xAdvance
  }
  return out.join('')
}

let loading: Promise<PosterFonts> | null = null

/** The poster fonts, read once per process (about 21 MB for both weights). */
export function posterFonts(): Promise<PosterFonts> {
  loading ??= (async () => {
    const [regular, bold] = await Promise.all([loadFont(FONT_FILES.regular), loadFont(FONT_FILES.bold)])
    const byWeight = { regular, bold }
    // Widths per em: most poster lines repeat on every page, and shaping a CJK string is not free.
    const widths = new Map<string, number>()
    const fonts: PosterFonts = {
      regular,
      bold,
      measure: (text, weight, size) => {
        const key = `${weight}\u0000${text}`
        let perEm = widths.get(key)
        if (perEm === undefined) {
          const { font } = byWeight[weight]
          perEm = font.layout(text).advanceWidth / font.unitsPerEm
          if (widths.size >= 10_000) widths.clear()
          widths.set(key, perEm)
        }
        return perEm * size
      },
      outline: (text, weight, size, x, baseline) => outlineRun(byWeight[weight].font, text, size, x, baseline),
    }
    return fonts
  })().catch((error: unknown) => {
    loading = null // a later request may try again
    throw error
  })
  return loading
}
