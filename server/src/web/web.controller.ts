import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common'
import { ApiExcludeController } from '@nestjs/swagger'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'

const SCAN_PAGE = '/pages/scan/index'

/**
 * The H5 app's entry points outside /api: the QR URL and the browser-router fallback. Built files
 * themselves are served by @fastify/static (registered in bootstrap).
 */
@ApiExcludeController()
@Controller()
export class WebController {
  private indexHtml: Promise<Buffer> | null = null

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The URL every QR code encodes: a browser lands on the H5 scan page for that token. */
  @Get('q/:token')
  qr(@Param('token') token: string, @Res() reply: FastifyReply): void {
    void reply.redirect(`${SCAN_PAGE}?token=${encodeURIComponent(token)}`, 302)
  }

  /** Any other GET outside the API is an H5 route: answer with the app's index.html. */
  @Get('*')
  async app(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (/^\/(api|open311)(\/|$)/.test(request.url)) {
      throw new DomainError('ROUTE_NOT_FOUND', '没有这个接口')
    }
    this.indexHtml ??= readFile(join(this.config.h5Dist, 'index.html'))
    try {
      const html = await this.indexHtml
      void reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html)
    } catch (error) {
      this.indexHtml = null
      throw new DomainError('ROUTE_NOT_FOUND', `网页版尚未构建（${(error as Error).message}）`)
    }
  }
}
