import { RoutingDryRunQuerySchema, RoutingRuleInputSchema } from '@mq/shared'
import { createZodDto } from 'nestjs-zod'

export class RoutingRuleInputDto extends createZodDto(RoutingRuleInputSchema) {}
export class RoutingDryRunQueryDto extends createZodDto(RoutingDryRunQuerySchema) {}
