import { SERVICE_PROMISE } from '@mq/shared'
import { posterFonts, type PosterFonts } from './poster-fonts'
import { A4, posterLayout, QR_QUIET_ZONE, qrRuns, type PosterContent, type TextOp } from './poster-layout'

const content: PosterContent = {
  compoundName: '石灰桥新村',
  buildingName: '3幢',
  unitName: '2单元',
  url: 'http://mq.test/q/Xk3fP9aLq2Rt7vYb',
  servicePromise: SERVICE_PROMISE,
  hotline: '0571-12345',
}

describe('poster layout', () => {
  let fonts: PosterFonts
  beforeAll(async () => {
    fonts = await posterFonts()
  })

  const texts = (c: PosterContent) => posterLayout(c, fonts.measure).ops.filter((op): op is TextOp => op.kind === 'text')

  it('says everything a poster must, the service promise one commitment per line', () => {
    expect(texts(content).map((op) => op.text)).toEqual([
      '石灰桥新村',
      '3幢 2单元',
      '扫码反映问题',
      '微信扫一扫，问题直达负责人',
      '服务承诺',
      '简单问题当日处理',
      '复杂问题3日内答复',
      '不用智能手机？请拨打电话',
      '0571-12345',
      'http://mq.test/q/Xk3fP9aLq2Rt7vYb',
    ])
  })

  it('keeps the type large: everything but the small-print URL is at least 17 pt, the key lines far more', () => {
    const size = Object.fromEntries(texts(content).map((op) => [op.text, op.size]))
    expect(size['扫码反映问题']).toBeGreaterThanOrEqual(56)
    expect(size['0571-12345']).toBeGreaterThanOrEqual(48)
    expect(size['3幢 2单元']).toBeGreaterThanOrEqual(44)
    for (const op of texts(content).filter((o) => o.text !== content.url)) expect(op.size).toBeGreaterThanOrEqual(17)
  })

  it('shrinks long names to fit the page instead of running off it', () => {
    const long = {
      ...content,
      compoundName: '杭州市拱墅区和睦街道石灰桥新村东区（二期）',
      unitName: '3单元（西侧楼道）',
      hotline: '0571-88888888 / 12345',
    }
    for (const op of texts(long)) {
      const width = fonts.measure(op.text, op.weight, op.size)
      expect(op.x).toBeGreaterThanOrEqual(39)
      expect(op.x + width).toBeLessThanOrEqual(A4.width - 39)
      expect(op.baseline).toBeLessThan(A4.height)
    }
  })

  it('has a glyph for every character it prints (no tofu boxes)', () => {
    for (const weight of ['regular', 'bold'] as const) {
      const text = texts(content).map((op) => op.text).join('')
      const missing = [...text].filter((ch) => fonts[weight].font.glyphsForString(ch).some((g) => g.id === 0))
      expect({ weight, missing }).toEqual({ weight, missing: [] })
    }
  })

  it('draws the QR code with the 4-module quiet zone around the symbol', () => {
    const { moduleCount, runs } = qrRuns(content.url)
    const dark = runs.flatMap((r) => [r.row, r.col, r.col + r.length - 1])
    expect(Math.min(...dark)).toBe(QR_QUIET_ZONE)
    expect(Math.max(...dark)).toBe(moduleCount - QR_QUIET_ZONE - 1)
  })
})
