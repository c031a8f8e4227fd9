import {
  CreateStaffSchema,
  MembershipInputSchema,
  ResetPasswordSchema,
  StaffImportQuerySchema,
  UpdateStaffSchema,
} from '@mq/shared'
import { createZodDto } from 'nestjs-zod'

export class CreateStaffDto extends createZodDto(CreateStaffSchema) {}
export class UpdateStaffDto extends createZodDto(UpdateStaffSchema) {}
export class ResetPasswordDto extends createZodDto(ResetPasswordSchema) {}
export class MembershipInputDto extends createZodDto(MembershipInputSchema) {}
export class StaffImportQueryDto extends createZodDto(StaffImportQuerySchema) {}
