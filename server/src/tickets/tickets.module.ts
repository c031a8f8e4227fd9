import { Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { AccessLogModule } from '../access-log/access-log.module'
import { PlacesModule } from '../places/places.module'
import { RoutingModule } from '../routing/routing.module'
import { TicketEvent } from './ticket-event.entity'
import { Ticket } from './ticket.entity'
import { TicketsController } from './tickets.controller'
import { TicketsService } from './tickets.service'

@Module({
  imports: [TypeOrmModule.forFeature([Ticket, TicketEvent]), PlacesModule, RoutingModule, AccessLogModule],
  controllers: [TicketsController],
  providers: [TicketsService],
  exports: [TicketsService],
})
export class TicketsModule {}
