import { Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { ReadSourceModule } from '../database/read-source'
import { PlacesModule } from '../places/places.module'
import { RoutingModule } from '../routing/routing.module'
import { TicketsModule } from '../tickets/tickets.module'
import { Open311Controller } from './open311.controller'
import { Open311Service } from './open311.service'
import { Open311ApiKey } from './open311-key.entity'
import { Open311KeysController } from './open311-keys.controller'
import { Open311KeysService } from './open311-keys.service'
import { Open311Request } from './open311-request.entity'

/** Open311 GeoReport v2 at /open311/v2, and the admins' partner keys at /api/admin/open311/keys. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Open311ApiKey, Open311Request]),
    PlacesModule,
    ReadSourceModule,
    RoutingModule,
    TicketsModule,
  ],
  controllers: [Open311Controller, Open311KeysController],
  providers: [Open311Service, Open311KeysService],
})
export class Open311Module {}
