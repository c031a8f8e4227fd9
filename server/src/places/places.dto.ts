import { CreatePlaceSchema, UpdatePlaceSchema } from '@mq/shared'
import { createZodDto } from 'nestjs-zod'

export class CreatePlaceDto extends createZodDto(CreatePlaceSchema) {}
export class UpdatePlaceDto extends createZodDto(UpdatePlaceSchema) {}
