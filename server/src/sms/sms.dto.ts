import { MobileCodeRequestSchema, MobileVerifySchema } from '@mq/shared'
import { createZodDto } from 'nestjs-zod'

// The service names its answers by these types; they live in shared now, with the schemas.
export type { MobileCodeSent, ResidentMobileView } from '@mq/shared'

export class MobileCodeRequestDto extends createZodDto(MobileCodeRequestSchema) {}
export class MobileVerifyDto extends createZodDto(MobileVerifySchema) {}
