import type { TicketEventView } from '@mq/shared'
import { eventDetails } from './timeline'

function event(type: TicketEventView['type'], data: Record<string, unknown>): TicketEventView {
  return {
    id: 'e1',
    at: '2026-11-20T02:00:00.000Z',
    type,
    public: false,
    actor: { kind: 'staff', role: 'grid_lead', name: '王丽' },
    data,
  }
}

describe('timeline details', () => {
  it('shows the public text before and after an edit of the public summary', () => {
    const lines = eventDetails(
      event('public_summary_edited', {
        resolution: { before: '已联系王阿姨 13912345678 修好', after: '楼道灯已更换' },
        edited: true,
      }),
    )
    expect(lines).toEqual(['公示办理结果原为：已联系王阿姨 13912345678 修好', '公示办理结果改为：楼道灯已更换'])
  })

  it('names both parts when both were edited, in a fixed order', () => {
    const lines = eventDetails(
      event('public_summary_edited', {
        resolution: { before: 'b', after: 'B' },
        commitment: { before: 'a', after: 'A' },
        edited: true,
      }),
    )
    expect(lines).toEqual(['公示承诺原为：a', '公示承诺改为：A', '公示办理结果原为：b', '公示办理结果改为：B'])
  })
})
