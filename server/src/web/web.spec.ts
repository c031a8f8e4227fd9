import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestApp, type TestApp } from '../../test/app'
import { authHeader, makeCompound, makeResident, makeStaff, makeTicket } from '../../test/factories'
import { PlacesService } from '../places/places.service'

// The whole app (startTestApp): the H5 files and the catch-all web routes are createApp's and AppModule's
// wiring, and the API must not fall through to index.html.
const HASHED = 'console.log("扫码页")\n'.repeat(200)

describe('the H5 app and the QR URL', () => {
  let t: TestApp
  let dist: string
  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'mq-h5-'))
    await mkdir(join(dist, 'js'))
    await writeFile(join(dist, 'index.html'), '<!doctype html><head><title>民情二维码</title></head><div id="app">民情二维码</div>')
    await writeFile(join(dist, 'js', 'app.js'), 'console.log(1)')
    // A hashed script with the compressed copies the production build writes beside it.
    await writeFile(join(dist, 'js', 'scan.0a1b2c3d.js'), HASHED)
    await writeFile(join(dist, 'js', 'scan.0a1b2c3d.js.br'), brotliCompressSync(HASHED))
    await writeFile(join(dist, 'js', 'scan.0a1b2c3d.js.gz'), gzipSync(HASHED))
    t = await startTestApp({ H5_DIST: dist })
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

  it('sends the pre-compressed copy the browser accepts, and lets hashed files be cached for good', async () => {
    const url = '/js/scan.0a1b2c3d.js'
    const br = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(br.statusCode).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    expect(br.headers['content-type']).toMatch(/javascript/)
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(HASHED)
    expect(br.rawPayload.length).toBeLessThan(Buffer.byteLength(HASHED) / 4)
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable')

    const gz = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString()).toBe(HASHED)

    const plain = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(HASHED)
    // A file without a content hash may change under its name: no long cache.
    const unhashed = await t.app.inject({ method: 'GET', url: '/js/app.js' })
    expect(unhashed.headers['cache-control']).not.toMatch(/immutable/)
  })

  it('answers a live QR URL with the app on the scan page and the scan view inline, nothing in it able to close the script', async () => {
    const c = await makeCompound(t, [1])
    const token = c.tokens[0][0]
    // A name with markup in it must stay text inside the inline script.
    await t.dataSource.query(`UPDATE place SET name = $1 WHERE id = $2`, ['幸福里</script><b>&', c.compound.id])
    const res = await t.app.inject({ method: 'GET', url: `/q/${token}` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/text\/html/)
    expect(res.headers['cache-control']).toBe('no-cache')
    const script = /<script>history\.replaceState\(null,'',("[^"]*")\);window\.__mqScanView=(.*?);document\.currentScript\.remove\(\)<\/script><\/head>/.exec(res.body)
    expect(script).not.toBeNull()
    expect(JSON.parse(script![1])).toBe(`/pages/scan/index?token=${token}`)
    const inline = JSON.parse(script![2]) as { token: string; view: { compound: { name: string }; deadlines: unknown } }
    expect(inline.token).toBe(token)
    expect(inline.view.compound.name).toBe('幸福里</script><b>&')
    // The same answer the API gives.
    const api = await t.app.inject({ method: 'GET', url: `/api/places/by-token/${token}` })
    expect(inline.view).toEqual(api.json())
    expect(script![2]).not.toMatch(/[<>&]/)
  })

  it('answers an unknown code with a friendly 404 page', async () => {
    for (const token of ['unknownToken123', '<script>x']) {
      const res = await t.app.inject({ method: 'GET', url: `/q/${encodeURIComponent(token)}` })
      expect(res.statusCode).toBe(404)
      expect(res.headers['content-type']).toMatch(/text\/html/)
      expect(res.body).toContain('二维码无效')
      expect(res.body).not.toContain('<script>x')
    }
  })

  it('answers a replaced code with a 410 page saying so and whom to call', async () => {
    const c = await makeCompound(t, [1])
    const old = c.tokens[0][0]
    const fresh = await t.app.get(PlacesService).reissueQrToken(c.units[0][0].id)
    expect(fresh.token).not.toBe(old)
    const res = await t.app.inject({ method: 'GET', url: `/q/${old}` })
    expect(res.statusCode).toBe(410)
    expect(res.body).toContain('此二维码已更换')
    expect(res.body).toContain('0571-12345')
    expect((await t.app.inject({ method: 'GET', url: `/q/${fresh.token}` })).statusCode).toBe(200)
  })

  it('sends a text message’s short link to the resident’s page of the request, the same way whether or not it exists', async () => {
    const c = await makeCompound(t, [1])
    const reporter = await makeResident(t, { openid: null })
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter })
    const number = `MQ${String(ticket.number).padStart(6, '0')}`
    const unknown = `MQ${String(ticket.number + 100000).padStart(6, '0')}`
    const answers = []
    for (const n of [number, unknown]) {
      const res = await t.app.inject({ method: 'GET', url: `/r/${n}` })
      answers.push({ status: res.statusCode, location: res.headers.location, cache: res.headers['cache-control'], body: res.body })
    }
    expect(answers[0]).toEqual({ status: 302, location: `/pages/detail/index?id=${number}`, cache: 'no-store', body: '' })
    // A stranger learns nothing from the redirect: the only difference is the number they typed.
    expect(answers[1]).toEqual({ ...answers[0], location: `/pages/detail/index?id=${unknown}` })

    // The page loads the request by its number: the reporter gets it, anyone else the same 404 as no request.
    const get = async (n: string, who: Parameters<typeof authHeader>[1]) =>
      t.app.inject({ method: 'GET', url: `/api/requests/${n}`, headers: await authHeader(t, who) })
    const own = await get(number, { resident: reporter })
    expect(own.statusCode).toBe(200)
    expect(own.json()).toMatchObject({ id: ticket.id, number })
    const stranger = await get(number, { resident: await makeResident(t) })
    const none = await get(unknown, { resident: reporter })
    expect([stranger.statusCode, none.statusCode]).toEqual([404, 404])
    expect(stranger.json().code).toBe('TICKET_NOT_FOUND')
    expect(none.json().message).toBe(stranger.json().message)
    // Staff of another compound: 404 too.
    const other = await makeCompound(t, [1])
    const outsider = await makeStaff(t, 'grid_lead', other.compound)
    expect((await get(number, { staff: outsider })).statusCode).toBe(404)
  })

  it('answers a malformed short link with a 404 in the API’s shape', async () => {
    for (const n of ['MQ12', 'mq000001', 'MQ0000001234567', '123456', '%3Cscript%3E', 'MQ000001x']) {
      const res = await t.app.inject({ method: 'GET', url: `/r/${n}` })
      expect({ n, status: res.statusCode, type: res.headers['content-type'] }).toEqual({
        n,
        status: 404,
        type: expect.stringMatching(/json/),
      })
      expect(res.json()).toMatchObject({ code: 'TICKET_NOT_FOUND', message: '找不到这个诉求' })
      expect(res.headers.location).toBeUndefined()
    }
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/requests/MQ12',
      headers: await authHeader(t, { resident: await makeResident(t) }),
    })
    expect(bad.statusCode).toBeGreaterThanOrEqual(400)
    expect(bad.statusCode).toBeLessThan(500)
  })

  it('serves WeChat’s domain-verification file only when configured', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/abc123.txt' })).statusCode).toBe(404)
    const configured = await startTestApp({ WECHAT_VERIFY_FILE: 'abc123.txt', WECHAT_VERIFY_CONTENT: 'f00dcafe' })
    try {
      const res = await configured.app.inject({ method: 'GET', url: '/abc123.txt' })
      expect(res.statusCode).toBe(200)
      expect(res.body).toBe('f00dcafe')
      expect((await configured.app.inject({ method: 'GET', url: '/other.txt' })).statusCode).toBe(404)
    } finally {
      await configured.close()
    }
  })

  it('serves the app for an address it has no page for, so the app shows its own 404 page with a way home', async () => {
    for (const url of ['/no/such/page', '/pages/nope/index', '/staff/pages/nope/index?x=1']) {
      const res = await t.app.inject({ method: 'GET', url })
      expect({ url, status: res.statusCode, type: res.headers['content-type'] }).toEqual({
        url,
        status: 200,
        type: expect.stringMatching(/text\/html/),
      })
      expect(res.body).toContain('民情二维码')
    }
  })

  it('does not answer unknown API routes with the app', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/unknown' })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('ROUTE_NOT_FOUND')
    for (const url of ['/api/no/such/route', '/api/requests/x/y/z']) {
      const other = await t.app.inject({ method: 'GET', url })
      expect({ url, status: other.statusCode, type: other.headers['content-type'] }).toEqual({
        url,
        status: 404,
        type: expect.stringMatching(/json/),
      })
    }
  })
})
