import { Module } from '@nestjs/common'
import { AccessLogModule } from '../access-log/access-log.module'
import { ReadSourceModule } from '../database/read-source'
import { PlacesModule } from '../places/places.module'
import { LedgerController } from './ledger.controller'
import { LedgerService } from './ledger.service'

@Module({
  imports: [PlacesModule, AccessLogModule, ReadSourceModule],
  controllers: [LedgerController],
  providers: [LedgerService],
})
export class LedgerModule {}
