import { startTestApp, type TestApp } from '../../test/app'

// The whole app (startTestApp): the document must describe every module's routes.
describe('GET /api/openapi.json', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())

  it('describes the API routes with their schemas and leaves the web routes out', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' })
    expect(res.statusCode).toBe(200)
    const doc = res.json()
    expect(doc.openapi).toMatch(/^3\./)
    // The full list of routes is pinned by test/route-matrix.json; here: API only, no web routes.
    const paths = Object.keys(doc.paths)
    expect(paths).toEqual(expect.arrayContaining(['/api/health', '/api/places/by-token/{token}', '/api/auth/staff/login']))
    expect(paths.filter((p) => !p.startsWith('/api/'))).toEqual([])
    // Bodies come from the shared zod schemas; signed-in routes say so.
    const loginBody = doc.paths['/api/auth/staff/login'].post.requestBody.content['application/json'].schema
    const loginSchema = doc.components.schemas[String(loginBody.$ref).split('/').pop()!]
    expect(Object.keys(loginSchema.properties).sort()).toEqual(['password', 'phone'])
    expect(doc.paths['/api/me'].get.security).toEqual([{ bearer: [] }])
    const health = doc.paths['/api/health'].get.responses
    expect(health['200'].content['application/json'].schema.properties.database.enum).toEqual(['up', 'down'])
    expect(health['503']).toBeDefined()
  })
})
