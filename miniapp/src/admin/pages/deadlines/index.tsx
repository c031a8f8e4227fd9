import { useEffect, useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import type { DeadlineSettings } from '@mq/shared'
import { fieldMessage, toApiError, type ApiError } from '@/api/client'
import { localDateTime } from '@mq/shared'
import { deadlineSettings, saveDeadlineSettings } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { CompoundPicker, useCompounds } from '../../components/compound-picker'
import { SETTING_FIELDS, displayValue, formFromOverrides, validateDeadlineForm, type FormErrors, type FormValues, type SettingKey } from './form'
import './index.scss'

type Notice = { kind: 'ok' | 'error'; text: string } | null

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
  const [settings, setSettings] = useState<DeadlineSettings | null>(null)
  const [values, setValues] = useState<FormValues | null>(null)
  const [errors, setErrors] = useState<FormErrors>({})
  const [notice, setNotice] = useState<Notice>(null)
  const [busy, setBusy] = useState(false)

  function show(next: DeadlineSettings): void {
    setSettings(next)
    setValues(formFromOverrides(next.overrides))
    setErrors({})
  }

  useEffect(() => {
    let current = true
    setSettings(null)
    setNotice(null)
    deadlineSettings(compoundId).then(
      (loaded) => current && show(loaded),
      (err: unknown) => current && setNotice({ kind: 'error', text: `加载失败：${toApiError(err).message}` }),
    )
    return () => {
      current = false
    }
  }, [compoundId])

  async function put(body: Parameters<typeof saveDeadlineSettings>[1], done: string): Promise<void> {
    setBusy(true)
    setNotice(null)
    try {
      show(await saveDeadlineSettings(compoundId, body))
      setNotice({ kind: 'ok', text: done })
    } catch (err) {
      const error = toApiError(err)
      setErrors(serverErrors(error))
      setNotice({ kind: 'error', text: `没有保存：${fieldMessage(error)}` })
    } finally {
      setBusy(false)
    }
  }

  function save(): void {
    if (!settings || !values) return
    const { input, errors: found } = validateDeadlineForm(values, settings.defaults)
    setErrors(found)
    if (Object.keys(found).length > 0) {
      setNotice({ kind: 'error', text: `有 ${Object.keys(found).length} 处需要改正，没有保存` })
      return
    }
    void put(input, '已保存。之后提交的诉求按新时限计算，已有诉求的时限不变。')
  }

  async function reset(): Promise<void> {
    const { confirm } = await Taro.showModal({
      title: '恢复默认时限',
      content: '本小区的时限设置将全部恢复为默认值，只影响之后提交的诉求。',
      confirmText: '恢复默认',
    })
    if (confirm) void put({}, '已恢复默认时限。')
  }

  if (!settings || !values) {
    return notice ? (
      <Text className={`adm-alert adm-alert--${notice.kind}`} data-testid='deadline-notice'>
        {notice.text}
      </Text>
    ) : (
      <Text className='adm-empty'>正在加载…</Text>
    )
  }

  const overridden = Object.keys(settings.overrides).length
  return (
    <View className='adm-card' data-testid='deadline-form' data-overrides={String(overridden)}>
      <Text className='adm-h2'>时限</Text>
      <Text className='adm-muted deadline__status' data-testid='deadline-status'>
        {overridden === 0
          ? '本小区使用默认时限（空着的项即用默认值）。'
          : `本小区改了 ${overridden} 项${settings.updatedAt ? `，最近保存于 ${localDateTime(settings.updatedAt)}` : ''}；空着的项用默认值。`}
      </Text>
      {notice ? (
        <Text className={`adm-alert adm-alert--${notice.kind}`} data-testid='deadline-notice'>
          {notice.text}
        </Text>
      ) : null}
      <View className='deadline__grid'>
        {SETTING_FIELDS.map((field) => {
          const fallback = displayValue(field, settings.defaults[field.key])
          const effective = displayValue(field, settings.effective[field.key])
          return (
            <View key={field.key} className={`deadline__field${errors[field.key] ? ' deadline__field--error' : ''}`} data-testid={`deadline-field-${field.key}`}>
              <Text className='adm-label'>{field.label}</Text>
              <View className='deadline__input-row'>
                <Input
                  className='adm-input deadline__input'
                  value={values[field.key]}
                  placeholder={`默认 ${fallback}`}
                  maxlength={8}
                  onInput={(e) => setValues({ ...values, [field.key]: e.detail.value })}
                  data-testid={`deadline-input-${field.key}`}
                />
                {field.unit ? <Text className='deadline__unit'>{field.unit}</Text> : null}
              </View>
              <Text className='adm-muted deadline__hint'>{`${field.hint}。默认 ${fallback}${field.unit}，现行 ${effective}${field.unit}`}</Text>
              {errors[field.key] ? (
                <Text className='deadline__error' data-testid={`deadline-error-${field.key}`}>
                  {errors[field.key]}
                </Text>
              ) : null}
            </View>
          )
        })}
      </View>
      <View className='adm-row deadline__buttons'>
        <Button className='adm-btn adm-btn--primary' disabled={busy || undefined} onClick={save} data-testid='deadline-save'>
          {busy ? '正在保存…' : '保存'}
        </Button>
        <Button className='adm-btn' disabled={busy || overridden === 0 || undefined} onClick={() => void reset()} data-testid='deadline-reset'>
          恢复默认
        </Button>
      </View>
      <Text className='adm-muted'>时间按北京时间计算。新设置只用于之后提交的诉求，已有诉求的时限不变。</Text>
    </View>
  )
}

function DeadlinesConsole({ initialCompound }: { initialCompound: string | null }) {
  const compounds = useCompounds(initialCompound)
  return (
    <View data-testid='deadlines'>
      <Text className='adm-h1'>时限设置</Text>
      <Text className='adm-lead'>每个小区可以调整受理、答复、办结的时限；不填的项按“简单问题当日处理 · 复杂问题3日内答复”的默认规定。</Text>
      <CompoundPicker state={compounds} />
      {compounds.compoundId ? <DeadlineForm key={compounds.compoundId} compoundId={compounds.compoundId} /> : null}
    </View>
  )
}

export function DeadlinesPage() {
  const { params } = useRouter()
  return <AdminShell active='deadlines'>{() => <DeadlinesConsole initialCompound={params.compoundId ?? null} />}</AdminShell>
}

export default DeadlinesPage
