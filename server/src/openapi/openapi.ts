import type { INestApplication } from '@nestjs/common'
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger'
import { cleanupOpenApiDoc } from 'nestjs-zod'

export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('民情二维码 API')
    .setDescription('Residents file, chase and rate requests; staff handle them within deadlines.')
    .setVersion(version)
    .addBearerAuth()
    .build()
  return cleanupOpenApiDoc(SwaggerModule.createDocument(app, config))
}

/** Serves the document at /api/openapi.json and a browsable UI at /api/docs. */
export function setupOpenApi(app: INestApplication, version: string): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app, version), {
    jsonDocumentUrl: 'api/openapi.json',
    raw: ['json'],
  })
}
