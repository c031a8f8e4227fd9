/**
 * The deadlines page's urgent lane: 紧急关键词, the words and categories that bring up the emergency sheet
 * and make a request urgent, per level (the compound, or a community, street or district above it; the
 * nearest level wins for each word), and the compound's 物业24小时电话 shown on the sheet.
 */
import { useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import {
  CATEGORIES,
  PLACE_KIND_LABELS,
  PROPERTY_PHONE_PATTERN,
  URGENT_LIST_LIMITS,
  type CategoryCode,
  type PlaceView,
  type UrgentListInput,
  type UrgentListView,
} from '@mq/shared'
import { fieldMessage } from '@/api/client'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice, Tag } from '@/ui/parts'
import { Loaded } from '@/ui/states'
import { Actions, Label } from '../../components/ui'
import { calendarLevels } from './calendar'
import { saveUrgentList, urgentList } from './urgent-api'

type Said = { kind: 'ok' | 'error'; text: string } | null

/** Words as typed: separated by commas (either width), 、 or spaces. */
export function splitWords(text: string): string[] {
  return text
    .split(/[,，、\s]+/)
    .map((w) => w.trim())
    .filter(Boolean)
}

/** The level's own list as the body of a save, with what changed. */
function ownInput(view: UrgentListView, patch: Partial<UrgentListInput>): UrgentListInput {
  const own = view.levels[view.levels.length - 1]?.change
  return {
    addWords: own?.addWords ?? [],
    dropWords: own?.dropWords ?? [],
    addCategories: own?.addCategories ?? [],
    dropCategories: own?.dropCategories ?? [],
    ...(view.place.kind === 'compound' ? { propertyPhone: view.propertyPhone } : {}),
    ...patch,
  }
}

function WordsEditor({
  view,
  busy,
  onSave,
}: {
  view: UrgentListView
  busy: boolean
  onSave: (input: UrgentListInput) => void
}) {
  const own = view.levels[view.levels.length - 1]?.change
  const [added, setAdded] = useState((own?.addWords ?? []).join('，'))
  const [dropped, setDropped] = useState((own?.dropWords ?? []).join('，'))
  const [categories, setCategories] = useState<CategoryCode[]>(own?.addCategories ?? [])
  const [error, setError] = useState<string | null>(null)
  const inherited = view.levels.slice(0, -1).filter((l) => l.change.addWords.length + l.change.dropWords.length > 0)

  function submit(): void {
    const addWords = splitWords(added)
    const dropWords = splitWords(dropped)
    const tooLong = [...addWords, ...dropWords].find((w) => w.length > URGENT_LIST_LIMITS.wordLength)
    if (tooLong) return setError(`「${tooLong}」太长：关键词不能超过${URGENT_LIST_LIMITS.wordLength}个字`)
    if (addWords.length > URGENT_LIST_LIMITS.words) return setError(`关键词最多${URGENT_LIST_LIMITS.words}个`)
    setError(null)
    onSave(ownInput(view, { addWords, dropWords, addCategories: categories }))
  }

  return (
    <>
      <Label>现行关键词（居民写到其中任何一个，先显示急救电话，提交后按紧急诉求处理）</Label>
      <View className="urgent__words" data-testid="urgent-effective">
        {view.effective.words.map((w) => (
          <Tag key={w} tone={view.defaults.words.includes(w) ? 'plain' : 'danger'} testId="urgent-word">
            {w}
          </Tag>
        ))}
      </View>
      {view.effective.categories.length > 0 ? (
        <Text className="mq-muted">{`不论写什么都算紧急的分类：${view.effective.categories
          .map((c) => CATEGORIES.find((x) => x.code === c)?.label ?? c)
          .join('、')}`}</Text>
      ) : null}
      {inherited.map((l) => (
        <Text key={l.place.id} className="mq-muted" data-testid="urgent-inherited">
          {`来自${l.place.name}（${PLACE_KIND_LABELS[l.place.kind]}）：${[
            l.change.addWords.length ? `增加 ${l.change.addWords.join('、')}` : '',
            l.change.dropWords.length ? `去掉 ${l.change.dropWords.join('、')}` : '',
          ]
            .filter(Boolean)
            .join('；')}`}
        </Text>
      ))}
      <Label>本级增加的关键词（用逗号或空格分开）</Label>
      <Input
        className={`admin-input urgent__input${error ? ' admin-input--error' : ''}`}
        value={added}
        placeholder="如 井盖掉了，化粪池冒了"
        onChange={setAdded}
        data-testid="urgent-add"
      />
      <Label>本级去掉的关键词（默认词在本地常误报时）</Label>
      <Input
        className="admin-input urgent__input"
        value={dropped}
        placeholder="如 冒烟"
        onChange={setDropped}
        data-testid="urgent-drop"
      />
      <Label>本级算紧急的分类（可不选）</Label>
      <Choices
        small
        multiple
        choices={CATEGORIES.map((c) => ({ value: c.code, label: c.label, testId: 'urgent-category' }))}
        value={categories}
        onPick={(code) =>
          setCategories(categories.includes(code) ? categories.filter((c) => c !== code) : [...categories, code])
        }
      />
      {error ? (
        <Text className="mq-field-error" data-testid="urgent-error">
          {error}
        </Text>
      ) : null}
      <Actions>
        <Button type="primary" loading={busy} disabled={busy} onClick={submit} data-testid="urgent-save">
          {busy ? '正在保存…' : '保存关键词'}
        </Button>
      </Actions>
    </>
  )
}

/** 紧急关键词 for the chosen compound or a level above it that the admin administers. */
export function UrgentWordsCard({ places, compoundId }: { places: readonly PlaceView[]; compoundId: string }) {
  const levels = calendarLevels(places, compoundId)
  const [chosen, setChosen] = useState<string>(compoundId)
  const placeId = levels.some((p) => p.id === chosen) ? chosen : compoundId
  const list = useResource(`admin-urgent:${placeId}`, () => urgentList(placeId), { refreshOnShow: false })
  const save = useMutation((input: UrgentListInput) => saveUrgentList(placeId, input))
  const [notice, setNotice] = useState<Said>(null)

  async function put(input: UrgentListInput): Promise<void> {
    setNotice(null)
    const saved = await save.run(input)
    if (saved) {
      list.setData(saved)
      setNotice({ kind: 'ok', text: '已保存。之后居民填写时即按新关键词提示，提交的诉求按新关键词判断是否紧急。' })
    }
  }
  const shown: Said = save.error ? { kind: 'error', text: `没有保存：${fieldMessage(save.error)}` } : notice

  return (
    <Card testId="urgent-card" title="紧急关键词">
      <Text className="mq-muted">
        居民描述里出现这些词（如电梯困人、燃气），先显示119、110、120和物业24小时电话，仍提交的按紧急诉求：30分钟内受理，夜间节假日一样。设在街道或区的词，其下所有小区都适用，下级对同一个词的设置优先。
      </Text>
      {levels.length > 1 ? (
        <View className="calendar__levels">
          <Label>设置范围</Label>
          <Choices
            small
            choices={levels.map((p) => ({ value: p.id, label: `${p.name}（${PLACE_KIND_LABELS[p.kind]}）`, testId: 'urgent-level' }))}
            value={placeId}
            onPick={(id) => {
              setNotice(null)
              setChosen(id)
            }}
          />
        </View>
      ) : null}
      {shown ? (
        <Notice tone={shown.kind} testId="urgent-notice">
          {shown.text}
        </Notice>
      ) : null}
      <Loaded resource={list} rows={3} errorTestId="urgent-notice">
        {(view) => <WordsEditor key={`${view.place.id}-${view.updatedAt ?? ''}`} view={view} busy={save.busy} onSave={(i) => void put(i)} />}
      </Loaded>
    </Card>
  )
}

/** 物业24小时电话 of the compound: shown on the emergency sheet as a number to tap. */
export function PropertyPhoneCard({ compoundId }: { compoundId: string }) {
  const list = useResource(`admin-urgent:${compoundId}`, () => urgentList(compoundId), { refreshOnShow: false })
  const save = useMutation((input: UrgentListInput) => saveUrgentList(compoundId, input))
  const [typed, setTyped] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<Said>(null)

  async function submit(view: UrgentListView, value: string): Promise<void> {
    const phone = value.trim()
    if (phone !== '' && !PROPERTY_PHONE_PATTERN.test(phone)) {
      setError('只能填数字和短横线，3到20位，如 0571-88886666')
      return
    }
    setError(null)
    setNotice(null)
    const saved = await save.run(ownInput(view, { propertyPhone: phone === '' ? null : phone }))
    if (saved) {
      list.setData(saved)
      setTyped(null)
      setNotice({ kind: 'ok', text: saved.propertyPhone ? `已保存：急救电话页显示 ${saved.propertyPhone}。` : '已清除：急救电话页不再显示物业电话。' })
    }
  }
  const shown: Said = save.error ? { kind: 'error', text: `没有保存：${fieldMessage(save.error)}` } : notice

  return (
    <Card testId="property-phone-card" title="物业24小时电话">
      <Text className="mq-muted">居民遇到危险时，急救电话页在119、110、120之后显示这个号码，一点就能拨打。请填夜里也有人接的电话。</Text>
      {shown ? (
        <Notice tone={shown.kind} testId="property-phone-notice">
          {shown.text}
        </Notice>
      ) : null}
      <Loaded resource={list} rows={1} errorTestId="property-phone-notice">
        {(view) => {
          const value = typed ?? view.propertyPhone ?? ''
          return (
            <>
              <View className="urgent__phone-row">
                <Input
                  className={`admin-input urgent__phone${error ? ' admin-input--error' : ''}`}
                  value={value}
                  placeholder="如 0571-88886666"
                  maxLength={20}
                  onChange={setTyped}
                  data-testid="property-phone-input"
                />
                <Button type="primary" loading={save.busy} disabled={save.busy} onClick={() => void submit(view, value)} data-testid="property-phone-save">
                  {save.busy ? '正在保存…' : '保存'}
                </Button>
              </View>
              {error ? (
                <Text className="mq-field-error" data-testid="property-phone-error">
                  {error}
                </Text>
              ) : null}
            </>
          )
        }}
      </Loaded>
    </Card>
  )
}
