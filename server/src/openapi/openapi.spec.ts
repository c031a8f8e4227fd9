import { startTestApp, type TestApp } from '../../test/app'

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
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/health', '/api/places/by-token/{token}'])
    const health = doc.paths['/api/health'].get.responses
    expect(health['200'].content['application/json'].schema.properties.database.enum).toEqual(['up', 'down'])
    expect(health['503']).toBeDefined()
  })
})
