import { useEffect, useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { localDateTime, type DeadlineSettings } from '@mq/shared'
import { fieldMessage, type ApiError } from '@/api/client'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Notice } from '@/ui/parts'
import { Loaded } from '@/ui/states'
import { deadlineSettings, saveDeadlineSettings } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { CompoundPicker, useCompounds } from '../../components/compound-picker'
import { useConfirm } from '../../components/confirm'
import { Actions, Label, Lead, PageTitle } from '../../components/ui'
import { WorkingCalendarCard, CalendarWarnings } from './calendar'
import { DayTypesCard, type DayTypeChoices } from './day-types'
import { PropertyPhoneCard, UrgentWordsCard } from './urgent'
import { SETTING_FIELDS, displayValue, formFromOverrides, validateDeadlineForm, type FormErrors, type FormValues, type SettingKey } from './form'
import './index.scss'

type Said = { kind: 'ok' | 'error'; text: string } | null

/** The server's field errors (a 400's details) by field, so they show beside their boxes too. */
function serverErrors(error: ApiError): FormErrors {
  const errors: FormErrors = {}
  for (const detail of error.details) {
    const key = detail.path.split('.')[0] as SettingKey
    if (SETTING_FIELDS.some((f) => f.key === key)) errors[key] ??= detail.message
  }
  return errors
}

export function DeadlineForm({ compoundId }: { compoundId: string }) {
  // A form: what the admin typed is not replaced by a reload when the page is shown again.
  const settings = useResource(`admin-deadlines:${compoundId}`, () => deadlineSettings(compoundId), { refreshOnShow: false })
  const save = useMutation((body: Parameters<typeof saveDeadlineSettings>[1]) => saveDeadlineSettings(compoundId, body))
  const [values, setValues] = useState<FormValues | null>(null)
  const [errors, setErrors] = useState<FormErrors>({})
  const [notice, setNotice] = useState<Said>(null)
  const { confirm, dialog } = useConfirm()

  const loaded = settings.data
  // Refill the boxes when the saved window values change (a load, this form's save), not when only the
  // day types were saved: what the admin typed and has not saved stays.
  const savedWindow = loaded ? JSON.stringify(formFromOverrides(loaded.overrides)) : null
  useEffect(() => {
    if (savedWindow === null) return
    setValues(JSON.parse(savedWindow) as FormValues)
    setErrors({})
  }, [savedWindow])

  async function put(body: Parameters<typeof saveDeadlineSettings>[1], done: string): Promise<void> {
    setNotice(null)
    const saved = await save.run(body)
    if (saved) {
      settings.setData(saved)
      setNotice({ kind: 'ok', text: done })
    }
  }

  // A refusal names its fields: show them beside their boxes.
  const refused = save.error
  useEffect(() => {
    if (!refused) return
    setErrors(serverErrors(refused))
    setNotice({ kind: 'error', text: `没有保存：${fieldMessage(refused)}` })
  }, [refused])

  function submit(current: DeadlineSettings, shown: FormValues): void {
    const { input, errors: found } = validateDeadlineForm(shown, current.defaults)
    setErrors(found)
    if (Object.keys(found).length > 0) {
      setNotice({ kind: 'error', text: `有 ${Object.keys(found).length} 处需要改正，没有保存` })
      return
    }
    // Day types per role have no boxes here yet: saving the form keeps those the compound set.
    const dayTypes = current.overrides.dayTypes
    void put(dayTypes ? { ...input, dayTypes } : input, '已保存。之后提交的诉求按新时限计算，已有诉求的时限不变。')
  }

  /** Day types with the compound's saved window values (not what is typed in the boxes). */
  function saveDayTypes(current: DeadlineSettings, dayTypes: DayTypeChoices): void {
    const saved: Record<string, unknown> = {}
    for (const field of SETTING_FIELDS) {
      if (current.overrides[field.key] !== undefined) saved[field.key] = current.overrides[field.key]
    }
    const body = Object.keys(dayTypes).length > 0 ? { ...saved, dayTypes } : saved
    void put(body as Parameters<typeof saveDeadlineSettings>[1], '计时方式已保存。之后提交的诉求按新的计时方式计算。')
  }

  async function reset(): Promise<void> {
    const yes = await confirm({
      title: '恢复默认时限',
      content: '本小区的时限设置将全部恢复为默认值，只影响之后提交的诉求。',
      confirmText: '恢复默认',
    })
    if (yes) await put({}, '已恢复默认时限。')
  }

  return (
    <>
      {dialog}
      <Loaded resource={settings} rows={6} errorTestId='deadline-notice'>
        {(current) => {
          if (!values) return null
          const overridden = Object.keys(current.overrides).length
          const busy = save.busy
          return (
            <>
              <CalendarWarnings years={current.calendarYears} />
              <Card testId='deadline-form' data-overrides={String(overridden)} title='时限'>
                <Text className='mq-muted deadline__status' data-testid='deadline-status'>
                  {overridden === 0
                    ? '本小区使用默认时限（空着的项即用默认值）。'
                    : `本小区改了 ${overridden} 项${current.updatedAt ? `，最近保存于 ${localDateTime(current.updatedAt)}` : ''}；空着的项用默认值。`}
                </Text>
                {notice ? (
                  <Notice tone={notice.kind} testId='deadline-notice'>
                    {notice.text}
                  </Notice>
                ) : null}
                <View className='deadline__grid'>
                  {SETTING_FIELDS.map((field) => {
                    const fallback = displayValue(field, current.defaults[field.key])
                    const effective = displayValue(field, current.effective[field.key])
                    const error = errors[field.key]
                    return (
                      <View key={field.key} className='deadline__field' data-testid={`deadline-field-${field.key}`}>
                        <Label>{field.label}</Label>
                        <View className='deadline__input-row'>
                          <Input
                            className={`admin-input deadline__input${error ? ' admin-input--error' : ''}`}
                            value={values[field.key]}
                            placeholder={`默认 ${fallback}`}
                            maxLength={8}
                            onChange={(value) => setValues({ ...values, [field.key]: value })}
                            data-testid={`deadline-input-${field.key}`}
                          />
                          {field.unit ? <Text>{field.unit}</Text> : null}
                        </View>
                        <Text className='mq-muted'>{`${field.hint}。默认 ${fallback}${field.unit}，现行 ${effective}${field.unit}`}</Text>
                        {error ? (
                          <Text className='deadline__error' data-testid={`deadline-error-${field.key}`}>
                            {error}
                          </Text>
                        ) : null}
                      </View>
                    )
                  })}
                </View>
                <Actions>
                  <Button type='primary' loading={busy} disabled={busy} onClick={() => submit(current, values)} data-testid='deadline-save'>
                    {busy ? '正在保存…' : '保存'}
                  </Button>
                  <Button disabled={busy || overridden === 0} onClick={() => void reset()} data-testid='deadline-reset'>
                    恢复默认
                  </Button>
                </Actions>
                <Text className='mq-muted'>时间按北京时间计算。新设置只用于之后提交的诉求，已有诉求的时限不变。</Text>
              </Card>
              <DayTypesCard current={current} busy={busy} onSave={(dayTypes) => saveDayTypes(current, dayTypes)} />
            </>
          )
        }}
      </Loaded>
    </>
  )
}

function DeadlinesConsole({ initialCompound }: { initialCompound: string | null }) {
  const compounds = useCompounds(initialCompound)
  return (
    <View data-testid='deadlines'>
      <PageTitle>时限设置</PageTitle>
      <Lead>每个小区可以调整受理、答复、办结的时限；不填的项按“简单问题当日处理 · 复杂问题3日内答复”的默认规定。</Lead>
      <CompoundPicker state={compounds} />
      {compounds.compoundId ? <DeadlineForm key={compounds.compoundId} compoundId={compounds.compoundId} /> : null}
      {compounds.compoundId && compounds.places.data ? (
        <WorkingCalendarCard key={`calendar-${compounds.compoundId}`} places={compounds.places.data} compoundId={compounds.compoundId} />
      ) : null}
      {compounds.compoundId && compounds.places.data ? (
        <UrgentWordsCard key={`urgent-${compounds.compoundId}`} places={compounds.places.data} compoundId={compounds.compoundId} />
      ) : null}
      {compounds.compoundId ? <PropertyPhoneCard key={`phone-${compounds.compoundId}`} compoundId={compounds.compoundId} /> : null}
    </View>
  )
}

export function DeadlinesPage() {
  const { params } = useRouter()
  return <AdminShell active='deadlines'>{() => <DeadlinesConsole initialCompound={params.compoundId ?? null} />}</AdminShell>
}

export default DeadlinesPage
