import { fireEvent, render, screen } from '@testing-library/react'
import type { Board, PublicNeedList, QuarterlyReport } from '@mq/shared'
import { setRouterParams, taroMock } from '../../../test/__mocks__/taro'
import { BoardPage } from './index'

const COMPOUND = '7c0c7a4e-3f1b-4f5e-9a55-1d2a3b4c5d03'
const counts = { received: 8, accepted: 4, committed: 1, resolved: 2, closed: 2, onTime: 1, rated: 2, averageRating: 4 }

function board(page: number, numbers: string[], total: number): Board {
  return {
    compoundName: '幸福里小区',
    month: '2026-11',
    thisMonth: counts,
    allTime: { ...counts, received: 9, rated: 0, averageRating: null },
    items: numbers.map((number, i) => ({
      id: `5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e6${i}`,
      number,
      category: 'leak',
      severity: 'complex',
      state: 'replied',
      reopened: false,
      compoundName: '幸福里小区',
      buildingName: '3号楼',
      unitName: '2单元',
      publicText: '楼顶漏水，***室天花板发霉',
      createdAt: '2026-11-20T02:00:00.000Z',
      replyBy: '2026-11-23T02:00:00.000Z',
      nextDueAt: '2026-11-27T02:00:00.000Z',
      promise: { plan: '先排查再维修', promisedAt: '2026-11-27T02:00:00.000Z' },
      resolution: null,
      followerCount: 0,
    })),
    page,
    pageSize: 1,
    total,
    decisions: [],
  }
}

const figures = { collected: 6, committed: 1, resolved: 4, onTime: 3, rated: 3, satisfied: 2 }
const report: QuarterlyReport = {
  compoundName: '幸福里小区',
  quarter: '2026-Q4',
  label: '2026年第4季度',
  total: figures,
  parties: [
    { party: 'community', label: '居委会/社区', ...figures, collected: 1, committed: 0, resolved: 1, onTime: 1, rated: 1, satisfied: 1 },
    { party: 'owners', label: '业委会/自管小组', ...figures, collected: 2, committed: 0, resolved: 1, onTime: 1, rated: 1, satisfied: 0 },
    { party: 'property', label: '物业', ...figures, collected: 3, committed: 1, resolved: 2, onTime: 1, rated: 1, satisfied: 1 },
  ],
  problems: [
    {
      id: '9d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e60',
      kind: 'same_category',
      title: '3号楼「房屋漏水」30天内3次',
      ownerLabel: '物业',
      plan: '楼顶整体做防水',
      targetDate: '2026-12-31',
      adoptedAt: '2026-11-21T02:00:00.000Z',
      progress: [{ id: '9d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e61', note: '已进场施工', at: '2026-11-25T02:00:00.000Z' }],
      requests: [],
    },
  ],
}

const needs: PublicNeedList = {
  compoundName: '幸福里小区',
  needs: [
    {
      id: '9d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e70',
      compoundId: COMPOUND,
      title: '增设电动自行车充电桩',
      publicText: '楼下没有地方充电',
      status: 'planned',
      reason: null,
      supportCount: 12,
      source: 'resident',
      createdAt: '2026-11-20T02:00:00.000Z',
      statusChangedAt: '2026-11-22T02:00:00.000Z',
    },
  ],
}

function respond(data: unknown) {
  taroMock.request.mockResolvedValueOnce({ statusCode: 200, data, header: {}, cookies: [], errMsg: 'request:ok' })
}

describe('board page', () => {
  it('shows the counts, the requests with their public commitment, and loads more', async () => {
    setRouterParams({ compoundId: COMPOUND })
    respond(board(1, ['MQ000002'], 2))
    respond(report)
    respond(needs)
    render(<BoardPage />)
    expect(await screen.findByTestId('board-compound')).toHaveTextContent('幸福里小区公示栏')
    expect(screen.getByTestId('board-month')).toHaveTextContent('8收到4已受理1已承诺2已办结2已销号1按时办结')
    expect(screen.getByTestId('board-month')).toHaveTextContent('平均评价 4.0 星（2 件评价）')
    expect(screen.getByTestId('board-all')).toHaveTextContent('暂无评价')
    const [item] = screen.getAllByTestId('board-item')
    expect(item).toHaveTextContent('房屋漏水 · 3号楼')
    expect(item).toHaveTextContent('承诺：先排查再维修（2026-11-27 前办结）')
    // The public text, as the server redacted it: what the problem is, without the room.
    expect(screen.getAllByTestId('board-item-text')[0]).toHaveTextContent('楼顶漏水，***室天花板发霉')
    // The quarter's 公开承诺 by party and the adopted 重点问题 with its progress.
    expect(await screen.findByTestId('board-report')).toHaveTextContent('2026年第4季度公开承诺')
    expect(screen.getByTestId('board-report-property')).toHaveTextContent('物业3121100%')
    expect(screen.getByTestId('board-report-owners')).toHaveTextContent('业委会/自管小组20110%')
    expect(screen.getByTestId('board-report-total')).toHaveTextContent('合计614367%')
    expect(screen.getByTestId('board-problem')).toHaveTextContent('负责：物业 · 目标日期：2026-12-31')
    expect(screen.getByTestId('board-problem-progress')).toHaveTextContent('2026-11-25 进展：已进场施工')
    // 居民需求 with their status and support count.
    expect(await screen.findByTestId('board-needs')).toHaveTextContent('增设电动自行车充电桩已列入计划')
    expect(screen.getByTestId('board-needs')).toHaveTextContent('12 户支持')
    respond(board(2, ['MQ000001'], 2))
    fireEvent.click(screen.getByTestId('board-more'))
    expect(await screen.findByText('MQ000001 · 2026-11-20 收到')).toBeInTheDocument()
    expect(screen.getAllByTestId('board-item')).toHaveLength(2)
    expect(screen.queryByTestId('board-more')).not.toBeInTheDocument()
    const urls = taroMock.request.mock.calls.map(([option]: [{ url: string }]) => option.url)
    expect(urls).toEqual([
      `/api/board/${COMPOUND}?page=1`,
      `/api/board/${COMPOUND}/report`,
      `/api/compounds/${COMPOUND}/needs`,
      `/api/board/${COMPOUND}?page=2`,
    ])
  })
  it('shows the joint meetings’ decisions under 议事会决定: role, target date, overdue or carried out', async () => {
    setRouterParams({ compoundId: COMPOUND })
    const decision = {
      meetingTitle: '12月九长大会',
      meetingKind: 'nine_heads' as const,
      meetingDate: '2026-12-03',
      ownerLabel: '物业',
      targetDate: '2026-12-10',
      publicSummary: '物业雨季前修好3号楼屋面',
      doneNote: null,
      doneAt: null,
    }
    respond({
      ...board(1, ['MQ000002'], 1),
      decisions: [
        { ...decision, id: '9d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e80', requestNumber: 'MQ000002', status: 'open', overdue: true },
        {
          ...decision,
          id: '9d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e81',
          requestNumber: null,
          ownerLabel: '交警',
          publicSummary: '东门口划禁停线',
          status: 'done',
          overdue: false,
          doneNote: '黄线已划好',
          doneAt: '2026-12-05T02:00:00.000Z',
        },
      ],
    })
    respond(report)
    respond(needs)
    render(<BoardPage />)
    expect(await screen.findByTestId('board-decisions')).toHaveTextContent('议事会决定')
    const [open, done] = screen.getAllByTestId('board-decision')
    expect(open).toHaveTextContent('九长大会 · 2026-12-03')
    expect(open).toHaveTextContent('负责：物业 · 完成时限：2026-12-10状态：已逾期')
    expect(open).toHaveTextContent('12月九长大会 · 关于 MQ000002')
    expect(done).toHaveTextContent('负责：交警 · 完成时限：2026-12-10状态：已落实')
    expect(done).toHaveTextContent('落实情况：黄线已划好')
  })
})
