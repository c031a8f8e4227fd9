import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { StaffModule } from '../staff/staff.module'
import { TicketsModule } from '../tickets/tickets.module'
import { DemoSeeder } from './demo-seeder'

@Module({ imports: [PlacesModule, StaffModule, TicketsModule], providers: [DemoSeeder], exports: [DemoSeeder] })
export class DemoModule {}
