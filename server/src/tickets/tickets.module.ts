import { Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { PlacesModule } from '../places/places.module'
import { RoutingModule } from '../routing/routing.module'
import { TicketEvent } from './ticket-event.entity'
import { Ticket } from './ticket.entity'
import { TicketsService } from './tickets.service'

@Module({
  imports: [TypeOrmModule.forFeature([Ticket, TicketEvent]), PlacesModule, RoutingModule],
  providers: [TicketsService],
  exports: [TicketsService],
})
export class TicketsModule {}
