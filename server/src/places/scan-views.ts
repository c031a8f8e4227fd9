import { forwardRef, Inject, Injectable } from '@nestjs/common'
import type { ScanView } from '@mq/shared'
import { DeadlineSettingsService } from '../deadlines/deadline-settings.service'
import { UrgentListService } from '../deadlines/urgent-list.service'
import { PlacesService } from './places.service'

/**
 * What the scan page shows for a QR token: the place, who handles what, the building's open count, and
 * the deadline rules a filing there follows, the compound's danger list and its 物业 24-hour line. The API answers it (`GET /api/places/by-token/:token`), and
 * the QR URL's page carries it inline, so a browser on a slow phone waits for one round trip, not three.
 */
@Injectable()
export class ScanViews {
  constructor(
    private readonly places: PlacesService,
    // Deadline settings are a domain of their own that itself reads places: a forward reference.
    @Inject(forwardRef(() => DeadlineSettingsService)) private readonly deadlines: DeadlineSettingsService,
    @Inject(forwardRef(() => UrgentListService)) private readonly urgent: UrgentListService,
  ) {}

  async forToken(token: string): Promise<ScanView> {
    const view = await this.places.scanView(token)
    return {
      ...view,
      deadlines: await this.deadlines.effective(view.compound.id),
      urgent: await this.urgent.forCompound(view.compound.id),
    }
  }
}
