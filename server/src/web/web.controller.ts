import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common'
import { ApiExcludeController } from '@nestjs/swagger'
import { PAGES, pageUrl, QR_TOKEN_PATTERN } from '@mq/shared'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Public } from '../auth/access.decorators'
import { DomainError } from '../common/domain-error'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { ScanViews } from '../places/scan-views'
import { TICKET_NUMBER_PATTERN } from '../tickets/ticket-number'
import { noticePage } from './notice-page'

/**
 * The H5 app's entry points outside /api: the QR URL and the browser-router fallback. Built files
 * themselves are served by @fastify/static (registered in bootstrap).
 */
@ApiExcludeController()
@Controller()
// The QR URL and the H5 app's pages: for everyone, like the posters on the stairwell wall.
@Public()
export class WebController {
  private indexHtml: Promise<Buffer> | null = null

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scanViews: ScanViews,
  ) {}

  /**
   * The URL every QR code encodes. In WeChat the link rule opens the mini-app instead; a browser lands
   * here: a live code gets the H5 app with the scan page's answer inline (no redirect, no second request:
   * each is a round trip on a slow phone), an unknown one a 404 page, a replaced one a 410 page.
   */
  @Get('q/:token')
  async qr(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    try {
      if (!QR_TOKEN_PATTERN.test(token)) throw new DomainError('QR_NOT_FOUND', 'malformed')
      const view = await this.scanViews.forToken(token)
      const scanPage = pageUrl(PAGES.resident.scan, { token })
      const html = await this.readIndex().catch(() => null)
      if (!html) {
        void reply.redirect(scanPage, 302)
        return
      }
      // The address becomes the scan page's before the app reads it; src/api/client.ts takes the answer.
      // The script then leaves the page, so the code's id is nowhere in what the resident's page holds.
      const inline = `<script>history.replaceState(null,'',${inlineJson(scanPage)});window.__mqScanView=${inlineJson({ token, view })};document.currentScript.remove()</script>`
      void reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(withInline(html.toString('utf8'), inline))
    } catch (error) {
      if (!(error instanceof DomainError) || !['QR_NOT_FOUND', 'QR_REPLACED', 'PLACE_NOT_FOUND'].includes(error.code)) {
        throw error
      }
      const replaced = error.code === 'QR_REPLACED'
      const page = replaced
        ? noticePage('此二维码已更换', [
            '这张二维码已经停用，楼道里应已张贴新的二维码，请扫描新码。',
            `如需帮助，请拨打服务热线 ${this.config.hotline}，或联系您的楼道长、网格长。`,
          ])
        : noticePage('二维码无效', [
            '没有找到这个二维码对应的楼道，请扫描楼道口张贴的二维码。',
            `如需帮助，请拨打服务热线 ${this.config.hotline}。`,
          ])
      void reply.status(replaced ? 410 : 404).type('text/html; charset=utf-8').send(page)
    }
  }

  /**
   * The short link every text message carries (`/r/MQ000123`): to the resident's page of that request,
   * which loads it by number through the signed-in API. Any well-formed number is sent on the same way
   * without a look at the database, so the link tells a stranger nothing the page would not (the page
   * says 找不到 for a request that is not theirs, or none); a malformed one is a 404.
   */
  @Get('r/:number')
  shortLink(@Param('number') number: string, @Res() reply: FastifyReply): void {
    if (!TICKET_NUMBER_PATTERN.test(number)) throw new DomainError('TICKET_NOT_FOUND', '找不到这个诉求')
    void reply.header('cache-control', 'no-store').redirect(pageUrl(PAGES.resident.detail, { id: number }), 302)
  }

  /** WeChat's domain-verification file for the link rule, served only when configured. */
  @Get(':file.txt')
  verification(@Param('file') file: string, @Res() reply: FastifyReply): void {
    const verification = this.config.wechatVerification
    if (!verification || `${file}.txt` !== verification.fileName) throw new DomainError('ROUTE_NOT_FOUND', '没有这个文件')
    void reply.type('text/plain; charset=utf-8').send(verification.content)
  }

  /** Any other GET outside the API is an H5 route: answer with the app's index.html. */
  @Get('*')
  async app(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (/^\/(api|open311)(\/|$)/.test(request.url)) {
      throw new DomainError('ROUTE_NOT_FOUND', '没有这个接口')
    }
    try {
      const html = await this.readIndex()
      void reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html)
    } catch (error) {
      throw new DomainError('ROUTE_NOT_FOUND', `网页版尚未构建（${(error as Error).message}）`)
    }
  }

  /** The H5 app's index.html, read once (and again after a failed read: the build may appear later). */
  private async readIndex(): Promise<Buffer> {
    this.indexHtml ??= readFile(join(this.config.h5Dist, 'index.html'))
    try {
      return await this.indexHtml
    } catch (error) {
      this.indexHtml = null
      throw error
    }
  }
}

/** The inline script at the end of the page's head (or first, in a page without one), before the app. */
function withInline(html: string, script: string): string {
  return html.includes('</head>') ? html.replace('</head>', `${script}</head>`) : `${script}${html}`
}

/** A value as a JavaScript literal safe inside an HTML <script>: nothing in it can close the tag. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
