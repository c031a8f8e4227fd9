import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestApp, type TestApp } from '../../test/app'

describe('the H5 app and the QR URL', () => {
  let t: TestApp
  let dist: string
  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'mq-h5-'))
    await mkdir(join(dist, 'js'))
    await writeFile(join(dist, 'index.html'), '<!doctype html><div id="app">民情二维码</div>')
    await writeFile(join(dist, 'js', 'app.js'), 'console.log(1)')
    t = await startTestApp({ H5_DIST: dist, LOG_LEVEL: 'error' })
  })
  afterAll(async () => {
    await t.close()
    await rm(dist, { recursive: true, force: true })
  })

  it('serves index.html at / and for any app route (browser router fallback)', async () => {
    for (const url of ['/', '/pages/scan/index?token=abcDEF123456', '/pages/mine/index']) {
      const res = await t.app.inject({ method: 'GET', url })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/text\/html/)
      expect(res.body).toContain('民情二维码')
    }
  })

  it('serves built files as they are', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/js/app.js' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('console.log(1)')
  })

  it('sends the QR URL to the scan page with its token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/q/abcDEF123456' })
    expect(res.statusCode).toBe(302)
    expect(res.headers.location).toBe('/pages/scan/index?token=abcDEF123456')
  })

  it('does not answer unknown API routes with the app', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/unknown' })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('ROUTE_NOT_FOUND')
  })
})
