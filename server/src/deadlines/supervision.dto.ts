import { EscalationQuerySchema, ExtendPromiseSchema, ReassignTicketSchema } from '@mq/shared'
import { createZodDto } from 'nestjs-zod'

export class ExtendPromiseDto extends createZodDto(ExtendPromiseSchema) {}
export class ReassignTicketDto extends createZodDto(ReassignTicketSchema) {}
export class EscalationQueryDto extends createZodDto(EscalationQuerySchema) {}
