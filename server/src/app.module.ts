import { type DynamicModule, Module } from '@nestjs/common'
import { APP_FILTER, APP_PIPE } from '@nestjs/core'
import { TypeOrmModule } from '@nestjs/typeorm'
import { LoggerModule } from 'nestjs-pino'
import { ZodValidationPipe } from 'nestjs-zod'
import { AbuseModule } from './abuse/abuse.module'
import { AccessLogModule } from './access-log/access-log.module'
import { AuthModule } from './auth/auth.module'
import { BoardModule } from './board/board.module'
import { MetricsModule } from './metrics/metrics.module'
import { NeedsModule } from './needs/needs.module'
import { AllExceptionsFilter } from './common/exception.filter'
import { CommonModule } from './common/common.module'
import type { AppConfig } from './config/config'
import { ConfigModule } from './config/config.module'
import { dataSourceOptions } from './database/data-source'
import { DeadlinesModule } from './deadlines/deadlines.module'
import { DemoModule } from './demo/demo.module'
import { TemplatesModule } from './templates/templates.module'
import { LedgerModule } from './ledger/ledger.module'
import { MeetingsModule } from './meetings/meetings.module'
import { HealthModule } from './health/health.module'
import { loggerOptions } from './common/logging'
import { NotificationsModule } from './notifications/notifications.module'
import { Open311Module } from './open311/open311.module'
import { PhotosModule } from './photos/photos.module'
import { PlacesModule } from './places/places.module'
import { PostersModule } from './posters/posters.module'
import { ResidentsModule } from './residents/residents.module'
import { ResourcesModule } from './resources/resources.module'
import { RetentionModule } from './retention/retention.module'
import { RoutingModule } from './routing/routing.module'
import { SmsModule } from './sms/sms.module'
import { StaffAdminModule } from './staff/staff-admin.module'
import { StaffModule } from './staff/staff.module'
import { TicketsModule } from './tickets/tickets.module'
import { VisitsModule } from './visits/visits.module'
import { WebModule } from './web/web.module'

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        CommonModule,
        // Rate limits of logins, filing, chasing and uploads (per address and per person).
        AbuseModule,
        HealthModule,
        // Registers the global AuthGuard: every route declares who may call it.
        AuthModule,
        PlacesModule,
        PostersModule,
        ResidentsModule,
        StaffModule,
        StaffAdminModule,
        AccessLogModule,
        RoutingModule,
        PhotosModule,
        TicketsModule,
        BoardModule,
        MetricsModule,
        LedgerModule,
        // Deadline timers and escalation, supervision; the notification sender (both run when WORKERS).
        DeadlinesModule,
        TemplatesModule,
        // Residents' needs (居民需求清单).
        NeedsModule,
        // The resources list (资源清单) and matching resources to requests and needs.
        ResourcesModule,
        // Visits to households without phones (走访与电话问候).
        VisitsModule,
        // Joint meetings (联席会议 / 议事会): agendas, decisions tracked to done, minutes.
        MeetingsModule,
        NotificationsModule,
        // Text messages: residents' verified numbers and the SMS provider.
        SmsModule,
        Open311Module,
        DemoModule,
        RetentionModule,
        // Last: its catch-all route must not shadow the API.
        WebModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    }
  }
}
