import { residentState } from './resident-state'
import { TICKET_STATES } from './tickets'

describe('residentState', () => {
  it('names each state in the resident’s words', () => {
    const words = TICKET_STATES.map((state) => residentState({ state }).label)
    expect(words).toEqual(['待受理', '处理中', '处理中', '等您补充', '已办结待评价', '已销号', '不予受理', '已合并', '已撤回'])
    expect(residentState({ state: 'accepted', reopened: true })).toMatchObject({ key: 'reopened', label: '重新办理' })
  })

  it('asks only the reporter to act', () => {
    expect(residentState({ state: 'waiting_resident' }, 'other')).toMatchObject({ label: '等待补充' })
    expect(residentState({ state: 'resolved' }, 'other')).toEqual({ key: 'resolved', label: '已办结', next: null })
    expect(residentState({ state: 'submitted' }).next).toContain('撤回')
    expect(residentState({ state: 'submitted' }, 'other').next).not.toContain('撤回')
  })
})
