import {
  ChangePasswordSchema,
  DeviceLoginSchema,
  RefreshSchema,
  StaffLoginSchema,
  UpdateMeSchema,
  WechatLoginSchema,
} from '@mq/shared'
import { createZodDto } from 'nestjs-zod'

// Request bodies: the shared zod schemas give the type, the global ZodValidationPipe's check and the OpenAPI schema.
export class WechatLoginDto extends createZodDto(WechatLoginSchema) {}
export class DeviceLoginDto extends createZodDto(DeviceLoginSchema) {}
export class StaffLoginDto extends createZodDto(StaffLoginSchema) {}
export class RefreshDto extends createZodDto(RefreshSchema) {}
export class ChangePasswordDto extends createZodDto(ChangePasswordSchema) {}
export class UpdateMeDto extends createZodDto(UpdateMeSchema) {}
