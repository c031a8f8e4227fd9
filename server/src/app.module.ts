import { type DynamicModule, Module } from '@nestjs/common'
import { APP_FILTER, APP_PIPE } from '@nestjs/core'
import { TypeOrmModule } from '@nestjs/typeorm'
import { LoggerModule } from 'nestjs-pino'
import { ZodValidationPipe } from 'nestjs-zod'
import { AllExceptionsFilter } from './common/exception.filter'
import { CommonModule } from './common/common.module'
import type { AppConfig } from './config/config'
import { ConfigModule } from './config/config.module'
import { dataSourceOptions } from './database/data-source'
import { DemoModule } from './demo/demo.module'
import { HealthModule } from './health/health.module'
import { loggerOptions } from './common/logging'
import { PlacesModule } from './places/places.module'
import { StaffModule } from './staff/staff.module'
import { TicketsModule } from './tickets/tickets.module'
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
        HealthModule,
        PlacesModule,
        StaffModule,
        TicketsModule,
        DemoModule,
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
