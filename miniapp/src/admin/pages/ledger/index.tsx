import { useMemo, useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { STAFF_HOME_PAGE, isAdmin, type StaffMe } from '@/api/auth'
import { fieldMessage, toApiError } from '@/api/client'
import {
  LEDGER_PERIOD_LABELS,
  downloadLedger,
  ledgerPeriod,
  ledgerPlaces,
  seesPersonalData,
  type LedgerPeriodKind,
  type LedgerProgress,
  type LedgerResult,
} from '@/api/ledger'
import { ElderModeToggle } from '@/elder/elder-mode'
import { useStaffSession } from '@/hooks/use-staff-session'
import { Button } from '@/ui/button'
import { Kit } from '@/ui/kit'
import { Card, Choices, Notice } from '@/ui/parts'
import { AdminShell } from '../../components/admin-shell'
import { Label, Lead, PageTitle } from '../../components/ui'
import './index.scss'

const IS_H5 = process.env.TARO_ENV === 'h5'
const PERIODS: LedgerPeriodKind[] = ['this_month', 'last_month', 'this_year']

function kb(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

type Export =
  | { kind: 'idle' }
  | { kind: 'running'; progress: LedgerProgress }
  | { kind: 'done'; result: LedgerResult }
  | { kind: 'failed'; message: string; requestId: string | null }

/** What the download has reached, in words: the server says the count first, then the bytes arrive. */
function progressText(p: LedgerProgress): string {
  const rows = p.rows === null ? '正在查询诉求…' : `共 ${p.rows} 条诉求`
  return p.bytes > 0 ? `${rows}，已接收 ${kb(p.bytes)}` : `${rows}，正在生成表格…`
}

/** The export: a place the account may export, a period, then the file with progress while it is built. */
export function LedgerExport({ me }: { me: StaffMe }) {
  const places = useMemo(() => ledgerPlaces(me), [me])
  const [placeId, setPlaceId] = useState<string | null>(places[0]?.id ?? null)
  const [periodKind, setPeriodKind] = useState<LedgerPeriodKind>('this_month')
  const [state, setState] = useState<Export>({ kind: 'idle' })
  const place = places.find((p) => p.id === placeId) ?? null
  const period = ledgerPeriod(periodKind, Date.now())
  const running = state.kind === 'running'

  async function start(): Promise<void> {
    if (!place) return
    setState({ kind: 'running', progress: { rows: null, bytes: 0 } })
    try {
      const result = await downloadLedger(
        { placeId: place.id, from: period.from, to: period.to },
        `工作台账-${place.name}-${period.label}.xlsx`,
        (progress) => setState({ kind: 'running', progress }),
      )
      setState({ kind: 'done', result })
    } catch (error) {
      const e = toApiError(error)
      setState({ kind: 'failed', message: fieldMessage(e) || '导出失败，请稍后重试', requestId: e.requestId })
    }
  }

  if (!place) {
    return (
      <Card title='没有可导出的台账' testId='ledger-forbidden'>
        <Text className='mq-text'>您的岗位没有可导出台账的地点。台账对处理、督办诉求的岗位和管理员开放。</Text>
      </Card>
    )
  }

  return (
    <View className='ledger' data-testid='ledger'>
      <Card testId='ledger-form'>
        <Label>范围</Label>
        {places.length > 1 ? (
          <Choices
            small
            choices={places.map((p) => ({ value: p.id, label: p.name, testId: 'ledger-place' }))}
            value={placeId}
            onPick={(id) => {
              setPlaceId(id)
              setState({ kind: 'idle' })
            }}
          />
        ) : (
          <Text className='mq-text' data-testid='ledger-place-only'>
            {place.name}
          </Text>
        )}
        <Label>时间</Label>
        <Choices
          choices={PERIODS.map((k) => ({ value: k, label: LEDGER_PERIOD_LABELS[k], testId: `ledger-period-${k}` }))}
          value={periodKind}
          onPick={(k) => {
            setPeriodKind(k)
            setState({ kind: 'idle' })
          }}
        />
        <Text className='mq-muted' data-testid='ledger-scope'>{`${place.name} · ${period.label}登记的诉求`}</Text>
        <Notice tone='warn' testId='ledger-privacy'>
          {seesPersonalData(me)
            ? '本小区居民的姓名、电话、房号按您的岗位完整导出，每条都会记入个人信息查看记录；请妥善保管文件。'
            : '您的岗位看不到居民的完整个人信息：表中的姓名、电话、房号为脱敏内容。'}
        </Notice>
        <Button type='primary' fill='solid' size='large' block disabled={running} onClick={() => void start()} data-testid='ledger-start'>
          {running ? '正在导出…' : '导出台账'}
        </Button>
      </Card>

      {state.kind === 'running' ? (
        <Card title='正在导出' testId='ledger-progress'>
          <View className='ledger-progress'>
            <View className='ledger-progress__bar' />
            <Text className='mq-text' data-testid='ledger-progress-text' data-rows={state.progress.rows ?? ''}>
              {progressText(state.progress)}
            </Text>
          </View>
        </Card>
      ) : null}
      {state.kind === 'done' ? (
        <Notice tone='ok' title='导出完成' testId='ledger-done'>
          {IS_H5
            ? `已下载「${state.result.filename}」，共 ${state.result.rows ?? '–'} 条诉求（${kb(state.result.bytes)}）。`
            : `已打开台账，共 ${state.result.rows ?? '–'} 条诉求。可点右上角转发或保存。`}
        </Notice>
      ) : null}
      {state.kind === 'failed' ? (
        <Notice tone='error' title='导出失败' testId='ledger-error'>
          {`${state.message}${state.requestId ? `（编号 ${state.requestId}）` : ''}`}
        </Notice>
      ) : null}
    </View>
  )
}

function Intro() {
  return (
    <>
      <PageTitle>导出工作台账</PageTitle>
      <Lead>
        把一个地点一段时间内登记的诉求导出为 Excel 表格：问题描述、公示内容、承办人、各项时限、状态、办理结果、沟通条数、办理前后照片数和评价。
      </Lead>
    </>
  )
}

/** A frame for staff who are not admins (they reach this page from their home page). */
function StaffLedgerFrame({ me }: { me: StaffMe }) {
  function back(): void {
    if (Taro.getCurrentPages().length > 1) void Taro.navigateBack()
    else void Taro.reLaunch({ url: STAFF_HOME_PAGE })
  }
  return (
    <Kit className='admin'>
      <View className='admin__top'>
        <Button className='ledger-frame__back' onClick={back} data-testid='ledger-back'>
          ‹ 返回
        </Button>
        <View className='admin__brand'>
          <Text className='admin__brand-name'>民情工作台 · 导出台账</Text>
        </View>
        <ElderModeToggle />
      </View>
      <View className='admin__body'>
        <View className='admin__main'>
          <Intro />
          <LedgerExport me={me} />
        </View>
      </View>
    </Kit>
  )
}

/** 导出台账: in the admin console for admins, in a plain frame for other staff. */
export function LedgerPage() {
  const session = useStaffSession()
  if (session.kind === 'signed-out') return <Kit className='admin'>{null}</Kit>
  if (!isAdmin(session.me)) return <StaffLedgerFrame me={session.me} />
  return (
    <AdminShell active='ledger'>
      {(me) => (
        <>
          <Intro />
          <LedgerExport me={me} />
        </>
      )}
    </AdminShell>
  )
}

export default LedgerPage
