/**
 * The deadlines page's working calendar: the chosen level's days off and on (its own, and those it
 * inherits from the places above), adding and removing its own, and the warning for a year whose official
 * holiday schedule is not in the data yet.
 */
import { useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import {
  CALENDAR_PLACE_KINDS,
  CalendarOverrideInputSchema,
  PLACE_KIND_LABELS,
  startOfLocalDate,
  type CalendarOverrideView,
  type CalendarYear,
  type PlaceCalendar,
  type PlaceView,
} from '@mq/shared'
import { fieldMessage } from '@/api/client'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice, Tag } from '@/ui/parts'
import { Loaded } from '@/ui/states'
import { addCalendarOverride, placeCalendar, removeCalendarOverride } from '../../calendar-api'
import { Actions, Label } from '../../components/ui'
import { pathTo } from '../../place-tree'

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日']
const CALENDAR_KINDS: ReadonlySet<string> = new Set(CALENDAR_PLACE_KINDS)

/** 2026年12月8日 周二 */
export function dayLabel(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7
  return `${y}年${m}月${d}日 ${WEEKDAYS[weekday]}`
}

/** A year without the State Council's schedule: weekends only until the data is upgraded. */
export function CalendarWarnings({ years }: { years: readonly CalendarYear[] }) {
  const missing = years.filter((y) => y.warning)
  if (missing.length === 0) return null
  return (
    <>
      {missing.map((y) => (
        <Notice key={y.year} tone="warn" title="节假日数据" testId="calendar-warning">
          {y.warning ?? ''}
        </Notice>
      ))}
    </>
  )
}

/** The levels of the compound an admin may set days for: its places above buildings within their scope. */
export function calendarLevels(places: readonly PlaceView[], compoundId: string): PlaceView[] {
  return pathTo(places, compoundId).filter((p) => CALENDAR_KINDS.has(p.kind))
}

type Said = { kind: 'ok' | 'error'; text: string } | null

function OverrideRow({
  item,
  onRemove,
  busy,
}: {
  item: CalendarOverrideView
  onRemove?: () => void
  busy: boolean
}) {
  return (
    <View
      className="calendar__row"
      data-testid="calendar-row"
      data-date={item.date}
      data-own={String(item.own)}
    >
      <Text className="calendar__date">{dayLabel(item.date)}</Text>
      <Tag tone={item.working ? 'primary' : 'warn'}>{item.working ? '上班' : '放假'}</Tag>
      <Text className="calendar__reason">{item.reason}</Text>
      <Text className="mq-muted calendar__source">
        {item.own ? '本级设置' : `来自${item.place.name}（${PLACE_KIND_LABELS[item.place.kind]}）`}
      </Text>
      {onRemove ? (
        <Button size="small" disabled={busy} onClick={onRemove} data-testid="calendar-remove">
          删除
        </Button>
      ) : null}
    </View>
  )
}

function CalendarList({
  calendar,
  onRemove,
  busy,
}: {
  calendar: PlaceCalendar
  onRemove: (date: string) => void
  busy: boolean
}) {
  if (calendar.overrides.length === 0) {
    return (
      <Text className="mq-muted calendar__empty" data-testid="calendar-empty">
        今天以后没有调整：按国家法定节假日和周末计算。
      </Text>
    )
  }
  return (
    <View data-testid="calendar-list">
      {calendar.overrides.map((item) => (
        <OverrideRow
          key={`${item.date}-${item.place.id}`}
          item={item}
          busy={busy}
          onRemove={item.own ? () => onRemove(item.date) : undefined}
        />
      ))}
      {calendar.shadowed.length > 0 ? (
        <Text className="mq-muted calendar__shadowed" data-testid="calendar-shadowed">
          {`被下级设置取代：${calendar.shadowed
            .map((s) => `${dayLabel(s.date)} ${s.place.name}${s.working ? '上班' : '放假'}（${s.reason}）`)
            .join('；')}`}
        </Text>
      ) : null}
    </View>
  )
}

function AddOverride({
  onAdd,
  busy,
}: {
  onAdd: (date: string, working: boolean, reason: string) => Promise<boolean>
  busy: boolean
}) {
  const [date, setDate] = useState('')
  const [working, setWorking] = useState<'off' | 'on'>('off')
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)

  async function submit(): Promise<void> {
    const typed = date
      .trim()
      .replace(/[./年月]/g, '-')
      .replace(/日$/, '')
    const normal = /^\d{4}-\d{1,2}-\d{1,2}$/.test(typed)
      ? typed
          .split('-')
          .map((p, i) => (i === 0 ? p : p.padStart(2, '0')))
          .join('-')
      : typed
    if (!startOfLocalDate(normal)) {
      setError('请按 2026-12-08 的格式填写日期')
      return
    }
    const checked = CalendarOverrideInputSchema.safeParse({ date: normal, working: working === 'on', reason })
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? '请检查填写的内容')
      return
    }
    setError(null)
    if (await onAdd(checked.data.date, checked.data.working, checked.data.reason)) {
      setDate('')
      setReason('')
    }
  }

  return (
    <View className="calendar__add" data-testid="calendar-add">
      <Label>添加一天</Label>
      <View className="calendar__add-row">
        <Input
          className={`admin-input calendar__date-input${error ? ' admin-input--error' : ''}`}
          value={date}
          placeholder="日期，如 2026-12-08"
          maxLength={10}
          onChange={setDate}
          data-testid="calendar-date"
        />
        <Choices
          small
          choices={[
            { value: 'off', label: '放假（不计工作日）', testId: 'calendar-off' },
            { value: 'on', label: '上班（计工作日）', testId: 'calendar-on' },
          ]}
          value={working}
          onPick={setWorking}
        />
        <Input
          className="admin-input calendar__reason-input"
          value={reason}
          placeholder="原因，如 台风停工"
          maxLength={30}
          onChange={setReason}
          data-testid="calendar-reason"
        />
      </View>
      {error ? (
        <Text className="mq-field-error" data-testid="calendar-error">
          {error}
        </Text>
      ) : null}
      <Actions>
        <Button
          type="primary"
          loading={busy}
          disabled={busy}
          onClick={() => void submit()}
          data-testid="calendar-submit"
        >
          {busy ? '正在保存…' : '添加'}
        </Button>
      </Actions>
    </View>
  )
}

/**
 * 工作日历 for the chosen compound: choose the level (the compound, or a community, street or district above
 * it that the admin administers), see its days, add and remove its own.
 */
export function WorkingCalendarCard({
  places,
  compoundId,
}: {
  places: readonly PlaceView[]
  compoundId: string
}) {
  const levels = calendarLevels(places, compoundId)
  const [chosen, setChosen] = useState<string>(compoundId)
  const placeId = levels.some((p) => p.id === chosen) ? chosen : compoundId
  const calendar = useResource(`admin-calendar:${placeId}`, () => placeCalendar(placeId))
  const change = useMutation((run: () => Promise<PlaceCalendar>) => run())
  const [notice, setNotice] = useState<Said>(null)
  const level = levels.find((p) => p.id === placeId)

  async function apply(run: () => Promise<PlaceCalendar>, done: string): Promise<boolean> {
    setNotice(null)
    const next = await change.run(run)
    if (next) {
      calendar.setData(next)
      setNotice({ kind: 'ok', text: done })
      return true
    }
    return false
  }

  const failed = change.error
  const shownNotice: Said =
    notice ?? (failed ? { kind: 'error', text: `没有保存：${fieldMessage(failed)}` } : null)

  return (
    <Card testId="calendar-card" title="工作日历">
      <Text className="mq-muted">
        按工作日计时的角色（如网格长）遇到放假的日子不计时限；设在街道或区的调整，其下所有小区都适用，下级对同一天的设置优先。之后提交的诉求按新日历计算，未办结的诉求（按工作日计时的）也随即顺延或提前。
      </Text>
      {levels.length > 1 ? (
        <View className="calendar__levels">
          <Label>设置范围</Label>
          <Choices
            small
            choices={levels.map((p) => ({
              value: p.id,
              label: `${p.name}（${PLACE_KIND_LABELS[p.kind]}）`,
              testId: 'calendar-level',
            }))}
            value={placeId}
            onPick={(id) => {
              setNotice(null)
              setChosen(id)
            }}
          />
        </View>
      ) : null}
      {shownNotice ? (
        <Notice tone={shownNotice.kind} testId="calendar-notice">
          {shownNotice.text}
        </Notice>
      ) : null}
      <Loaded resource={calendar} rows={3} errorTestId="calendar-notice">
        {(current) => (
          <>
            <Label>{`${level?.name ?? current.place.name}今天以后的调整`}</Label>
            <CalendarList
              calendar={current}
              busy={change.busy}
              onRemove={(date) =>
                void apply(() => removeCalendarOverride(placeId, date), `已删除 ${dayLabel(date)} 的调整。`)
              }
            />
            <AddOverride
              busy={change.busy}
              onAdd={(date, working, reason) =>
                apply(
                  () => addCalendarOverride(placeId, { date, working, reason }),
                  `已添加：${dayLabel(date)}${working ? '上班' : '放假'}（${reason}）。`,
                )
              }
            />
          </>
        )}
      </Loaded>
    </Card>
  )
}
