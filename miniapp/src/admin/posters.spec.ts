import { filenameFromDisposition, posterPath } from './posters'

describe('posters', () => {
  it('reads the UTF-8 file name from Content-Disposition, falling back to the ASCII one', () => {
    const header = `attachment; filename="posters-88cf782f.pdf"; filename*=UTF-8''${encodeURIComponent('石灰桥新村-二维码海报.pdf')}`
    expect(filenameFromDisposition(header)).toBe('石灰桥新村-二维码海报.pdf')
    expect(filenameFromDisposition('attachment; filename="poster.png"')).toBe('poster.png')
    expect(filenameFromDisposition("attachment; filename=\"a.png\"; filename*=UTF-8''%E0%A4%A")).toBe('a.png')
    expect(filenameFromDisposition(undefined)).toBeNull()
  })

  it('builds the authenticated poster routes', () => {
    expect(posterPath({ kind: 'unit', id: 'u-1', format: 'svg' })).toBe('/api/posters/units/u-1.svg')
    expect(posterPath({ kind: 'compound', id: 'c-1' })).toBe('/api/posters/compounds/c-1.pdf')
  })
})
