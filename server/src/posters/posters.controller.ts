import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common'
import { ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger'
import { ErrorBodySchema } from '@mq/shared'
import { Can, CurrentStaff } from '../auth/access.decorators'
import type { StaffPrincipal } from '../auth/principal'
import { zodSchema } from '../openapi/zod-schema'
import { PostersService, type PosterFile } from './posters.service'

/** RFC 6266 / 5987: an ASCII fallback name, and the real (Chinese) name percent-encoded as UTF-8. */
export function contentDisposition(file: Pick<PosterFile, 'filename' | 'asciiFilename'>): string {
  const encoded = encodeURIComponent(file.filename).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${file.asciiFilename}"; filename*=UTF-8''${encoded}`
}

function download(file: PosterFile): StreamableFile {
  return new StreamableFile(file.body, {
    type: file.contentType,
    disposition: contentDisposition(file),
    length: file.body.length,
  })
}

const binary = { schema: { type: 'string', format: 'binary' } } as const
const notFound = {
  description: 'PLACE_NOT_FOUND: no such active place within your admin scope; QR_NOT_FOUND: no active QR code to print',
  schema: zodSchema(ErrorBodySchema),
}

/**
 * Admins download posters to print (policy: manage_places). Which compound is the service's check:
 * places outside the caller's admin memberships answer 404, like places that do not exist.
 */
@ApiTags('posters')
@Controller('api/posters')
@Can('manage_places')
export class PostersController {
  constructor(private readonly posters: PostersService) {}

  /** One unit's A4 poster as SVG (text as outlines: prints the same anywhere). */
  @Get('units/:unitId.svg')
  @Header('cache-control', 'private, no-cache')
  @ApiParam({ name: 'unitId', format: 'uuid' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'A4 poster, SVG', content: { 'image/svg+xml': binary } })
  @ApiNotFoundResponse(notFound)
  async unitSvg(@CurrentStaff() admin: StaffPrincipal, @Param('unitId') unitId: string): Promise<StreamableFile> {
    return download(await this.posters.unitSvg(unitId, admin.memberships))
  }

  /** One unit's A4 poster as PNG, 200 dpi. */
  @Get('units/:unitId.png')
  @Header('cache-control', 'private, no-cache')
  @ApiParam({ name: 'unitId', format: 'uuid' })
  @ApiProduces('image/png')
  @ApiOkResponse({ description: 'A4 poster, PNG at 200 dpi', content: { 'image/png': binary } })
  @ApiNotFoundResponse(notFound)
  async unitPng(@CurrentStaff() admin: StaffPrincipal, @Param('unitId') unitId: string): Promise<StreamableFile> {
    return download(await this.posters.unitPng(unitId, admin.memberships))
  }

  /** The whole compound for printing: one A4 page per active unit, in building and unit order. */
  @Get('compounds/:compoundId.pdf')
  @Header('cache-control', 'private, no-cache')
  @ApiParam({ name: 'compoundId', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'One A4 poster per active unit', content: { 'application/pdf': binary } })
  @ApiNotFoundResponse(notFound)
  async compoundPdf(@CurrentStaff() admin: StaffPrincipal, @Param('compoundId') compoundId: string): Promise<StreamableFile> {
    return download(await this.posters.compoundPdf(compoundId, admin.memberships))
  }
}
