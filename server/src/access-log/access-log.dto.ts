import { AccessLogQuerySchema } from '@mq/shared'
import { createZodDto } from 'nestjs-zod'

export class AccessLogQueryDto extends createZodDto(AccessLogQuerySchema) {}
