import { Module } from '@nestjs/common'
import { TypeOrmModule } from '@nestjs/typeorm'
import { AccessLogModule } from '../access-log/access-log.module'
import { DeadlineSettingsModule } from '../deadlines/deadline-settings.module'
import { PhotosModule } from '../photos/photos.module'
import { PlacesModule } from '../places/places.module'
import { ResidentsModule } from '../residents/residents.module'
import { RoutingModule } from '../routing/routing.module'
import { StaffModule } from '../staff/staff.module'
import { SuggestModule } from '../suggest/suggest.module'
import { AfterPhotoModule } from '../templates/after-photo.module'
import { VoiceModule } from '../voice/voice.module'
import { TicketFilingService } from './filing/ticket-filing.service'
import { CalendarMoves } from './lifecycle/calendar-moves'
import { DeadlineTimersService } from './lifecycle/deadline-timers.service'
import { DeadlineWorker } from './lifecycle/deadline-worker'
import { TicketRunner } from './lifecycle/ticket-runner'
import { PublicTicketsReader } from './read/public-tickets.reader'
import { TicketDetailReader } from './read/ticket-detail.reader'
import { TicketListsReader } from './read/ticket-lists.reader'
import { TicketEvent } from './ticket-event.entity'
import { IdempotencyKey, TicketCoHandler, TicketFollower, TicketRating } from './ticket-relations.entity'
import { Ticket } from './ticket.entity'
import { TicketWorkflowService } from './ticket-workflow.service'
import { TicketsController } from './tickets.controller'
import { TicketsService } from './tickets.service'

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Ticket,
      TicketEvent,
      TicketFollower,
      TicketCoHandler,
      TicketRating,
      IdempotencyKey,
    ]),
    PlacesModule,
    RoutingModule,
    AccessLogModule,
    PhotosModule,
    VoiceModule,
    StaffModule,
    ResidentsModule,
    DeadlineSettingsModule,
    AfterPhotoModule,
    SuggestModule,
  ],
  controllers: [TicketsController],
  // The deadline timers fire here too (WORKERS): a request's timers live with it.
  providers: [
    TicketRunner,
    TicketFilingService,
    TicketDetailReader,
    TicketListsReader,
    PublicTicketsReader,
    TicketsService,
    TicketWorkflowService,
    DeadlineTimersService,
    DeadlineWorker,
    CalendarMoves,
  ],
  exports: [TicketRunner, TicketsService, TicketWorkflowService, DeadlineTimersService, CalendarMoves],
})
export class TicketsModule {}
