import { Inject, Injectable } from '@nestjs/common'
import { qrUrl, scopeOf, SERVICE_PROMISE, type ScopedMembership } from '@mq/shared'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { PosterUnits, type UnitPosterRow } from '../places/poster-units'
import { posterFonts } from './poster-fonts'
import { posterLayout, type PosterContent, type PosterDrawing } from './poster-layout'
import { postersPdf, posterSvg, svgToPng } from './poster-render'

/** A rendered poster file, ready to send. */
export interface PosterFile {
  /** Human file name (Chinese), e.g. 石灰桥新村-3幢-2单元-二维码海报.png */
  filename: string
  /** ASCII fallback for clients that ignore `filename*`. */
  asciiFilename: string
  contentType: 'image/svg+xml' | 'image/png' | 'application/pdf'
  body: Buffer
}

/** Characters that are awkward in file names on Windows, macOS or in a shell. */
function fileSafe(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, '_')
}

/** Place ids under which the caller may print posters; places outside them do not exist for the caller (404). */
function posterScope(memberships: readonly ScopedMembership[]): string[] {
  return scopeOf(memberships, 'manage_places')
}

/**
 * Stairwell QR posters: per unit as SVG or PNG, per compound as one PDF with a page per unit.
 * Every method takes the caller's memberships: only places under a `manage_places` membership are found.
 */
@Injectable()
export class PostersService {
  constructor(
    private readonly units: PosterUnits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async unitSvg(unitId: string, memberships: readonly ScopedMembership[]): Promise<PosterFile> {
    const { drawing, row } = await this.unitDrawing(unitId, memberships)
    const fonts = await posterFonts()
    return this.file(row, 'svg', Buffer.from(posterSvg(drawing, fonts)))
  }

  async unitPng(unitId: string, memberships: readonly ScopedMembership[]): Promise<PosterFile> {
    const { drawing, row } = await this.unitDrawing(unitId, memberships)
    const fonts = await posterFonts()
    return this.file(row, 'png', await svgToPng(posterSvg(drawing, fonts), drawing.width))
  }

  /**
   * What the compound's PDF prints, page by page: every active unit in building and unit order, with
   * its active token. Retired units and units under a retired building are left out, as are units
   * without an active token (a revoked code that was not re-issued has nothing to print).
   */
  async compoundPosters(
    compoundId: string,
    memberships: readonly ScopedMembership[],
  ): Promise<{ compoundName: string; posters: PosterContent[] }> {
    const scope = posterScope(memberships)
    const compoundName = await this.units.compoundName(compoundId, scope)
    if (compoundName === null) throw new DomainError('PLACE_NOT_FOUND', '找不到这个小区')
    const rows = await this.units.find({ compoundId }, scope)
    return {
      compoundName,
      posters: rows.flatMap((row) => (row.token ? [this.content(row, row.token)] : [])),
    }
  }

  /** The whole compound as one PDF, one A4 poster per page (see compoundPosters for which units). */
  async compoundPdf(compoundId: string, memberships: readonly ScopedMembership[]): Promise<PosterFile & { pages: number }> {
    const { compoundName, posters } = await this.compoundPosters(compoundId, memberships)
    if (posters.length === 0) throw new DomainError('QR_NOT_FOUND', '这个小区还没有可打印的单元二维码')
    const fonts = await posterFonts()
    // Laid out page by page as the PDF is drawn (postersPdf yields to the event loop in between).
    const drawings = (function* () {
      for (const content of posters) yield posterLayout(content, fonts.measure)
    })()
    return {
      filename: `${fileSafe(compoundName)}-二维码海报.pdf`,
      asciiFilename: `posters-${compoundId.slice(0, 8)}.pdf`,
      contentType: 'application/pdf',
      body: await postersPdf(drawings, fonts, `${compoundName} 二维码海报`),
      pages: posters.length,
    }
  }

  private async unitDrawing(
    unitId: string,
    memberships: readonly ScopedMembership[],
  ): Promise<{ drawing: PosterDrawing; row: UnitPosterRow }> {
    const [row] = await this.units.find({ unitId }, posterScope(memberships))
    if (!row) throw new DomainError('PLACE_NOT_FOUND', '找不到这个单元')
    if (!row.token) throw new DomainError('QR_NOT_FOUND', '这个单元还没有有效的二维码，请先生成')
    const fonts = await posterFonts()
    return { drawing: posterLayout(this.content(row, row.token), fonts.measure), row }
  }

  private content(row: UnitPosterRow, token: string): PosterContent {
    return {
      compoundName: row.compound_name,
      buildingName: row.building_name,
      unitName: row.unit_name,
      url: qrUrl(this.config.publicUrl, token),
      servicePromise: SERVICE_PROMISE,
      hotline: this.config.hotline,
    }
  }

  private file(row: UnitPosterRow, ext: 'svg' | 'png', body: Buffer): PosterFile {
    return {
      filename: `${fileSafe(`${row.compound_name}-${row.building_name}-${row.unit_name}`)}-二维码海报.${ext}`,
      asciiFilename: `poster-${row.unit_id.slice(0, 8)}.${ext}`,
      contentType: ext === 'svg' ? 'image/svg+xml' : 'image/png',
      body,
    }
  }
}
