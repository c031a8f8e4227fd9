import { CreateOpen311KeySchema } from '@mq/shared'
import { createZodDto } from 'nestjs-zod'

export class CreateOpen311KeyDto extends createZodDto(CreateOpen311KeySchema) {}
