import type { TicketView } from '@mq/shared'

/**
 * A resident's view of one request as the server sends it, complete (the client checks answers against
 * the shared schema), with `over` on top.
 */
export function ticketView(over: Partial<TicketView> = {}): TicketView {
  return {
    id: '0b7e3c1a-52d4-4c1b-9f3e-6a1d2c3b4e5f',
    number: 'MQ000042',
    category: 'facilities',
    severity: 'simple',
    state: 'submitted',
    channel: 'miniapp',
    description: '楼道灯坏了',
    compoundName: '石灰桥新村',
    buildingName: '3幢',
    unitName: '2单元',
    handlerRole: 'property_manager',
    handlerName: '李**',
    acceptBy: '2026-11-21T04:00:00.000Z',
    replyBy: null,
    resolveBy: '2026-11-21T15:59:59.999Z',
    nextDueAt: '2026-11-21T04:00:00.000Z',
    promise: null,
    resolution: null,
    rejectionReason: null,
    mergedInto: null,
    followerCount: 0,
    chaseCount: 0,
    createdAt: '2026-11-21T02:00:00.000Z',
    reporter: null,
    coHandlers: [],
    photos: { report: [], resolution: [] },
    rating: null,
    timeline: [],
    publicSummary: { text: '楼道灯坏了', commitment: null, resolution: null, edited: false },
    viewer: { relation: 'reporter', commands: ['chase'], nextChaseAt: null },
    ...over,
  }
}
