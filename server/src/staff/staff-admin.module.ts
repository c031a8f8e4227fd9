import { Module, type OnModuleInit } from '@nestjs/common'
import { HttpAdapterHost } from '@nestjs/core'
import type { FastifyInstance } from 'fastify'
import { AuthModule } from '../auth/auth.module'
import { acceptSheetUploads } from '../common/sheet-upload'
import { PlacesModule } from '../places/places.module'
import { StaffAdminController } from './staff-admin.controller'
import { StaffAdminService } from './staff-admin.service'
import { StaffModule } from './staff.module'

/** Admin staff management: apart from StaffModule because it ends sessions (AuthModule needs StaffModule). */
@Module({
  imports: [StaffModule, AuthModule, PlacesModule],
  controllers: [StaffAdminController],
  providers: [StaffAdminService],
})
export class StaffAdminModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    acceptSheetUploads(this.adapterHost.httpAdapter.getInstance<FastifyInstance>())
  }
}
