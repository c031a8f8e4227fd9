import { useState } from 'react'
import { Input, TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import {
  CATEGORIES,
  PLACE_KIND_LABELS,
  TEMPLATE_ACTION_LABELS,
  TEMPLATE_ACTIONS,
  TEMPLATE_PLACEHOLDERS,
  TEMPLATE_TEXT_MAX,
  TEMPLATE_TITLE_MAX,
  categoryOf,
  type CategoryCode,
  type CompoundTemplates,
  type ReplyTemplate,
  type TemplateAction,
} from '@mq/shared'
import { fieldMessage } from '@/api/client'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice } from '@/ui/parts'
import { Loaded } from '@/ui/states'
import { AdminShell } from '../../components/admin-shell'
import { CompoundPicker, useCompounds } from '../../components/compound-picker'
import { useConfirm } from '../../components/confirm'
import { Actions, Label, Lead, PageTitle } from '../../components/ui'
import { compoundTemplates, createTemplate, deleteTemplate, updateTemplate } from './api'
import './index.scss'

type Said = { kind: 'ok' | 'error'; text: string } | null

const ANY = 'any'
type CategoryChoice = CategoryCode | typeof ANY

interface Draft {
  /** null: a new template. */
  id: string | null
  placeId: string
  action: TemplateAction
  category: CategoryChoice
  title: string
  text: string
}

const PLACEHOLDER_HINT = `可用占位符：${TEMPLATE_PLACEHOLDERS.number} 诉求编号、${TEMPLATE_PLACEHOLDERS.date} 当天日期、${TEMPLATE_PLACEHOLDERS.handler} 负责人姓名、${TEMPLATE_PLACEHOLDERS.phone} 负责人电话，发送时自动填好。`

function TemplateForm({
  draft,
  places,
  onSaved,
  onCancel,
}: {
  draft: Draft
  places: CompoundTemplates['places']
  onSaved: (text: string) => void
  onCancel: () => void
}) {
  const [value, setValue] = useState(draft)
  const save = useMutation(async () => {
    const body = {
      action: value.action,
      category: value.category === ANY ? null : value.category,
      title: value.title.trim(),
      text: value.text.trim(),
    }
    if (value.id) await updateTemplate(value.id, body)
    else await createTemplate({ ...body, placeId: value.placeId })
    onSaved(value.id ? '已保存' : '已添加')
  })
  const manageable = places.filter((p) => p.manageable)
  return (
    <Card testId='template-form' title={value.id ? '修改常用回复' : '添加常用回复'}>
      {value.id ? null : (
        <View className='templates__field'>
          <Label>设在哪一级</Label>
          <Choices
            small
            choices={manageable.map((p) => ({ value: p.id, label: `${PLACE_KIND_LABELS[p.kind]}：${p.name}`, testId: `template-place-${p.kind}` }))}
            value={value.placeId}
            onPick={(placeId) => setValue({ ...value, placeId })}
          />
          <Text className='mq-muted'>设在社区或街道的，下属各小区都能用；小区自己的同名回复优先。</Text>
        </View>
      )}
      <View className='templates__field'>
        <Label>用于哪一步</Label>
        <Choices
          small
          choices={TEMPLATE_ACTIONS.map((a) => ({ value: a, label: TEMPLATE_ACTION_LABELS[a], testId: `template-action-${a}` }))}
          value={value.action}
          onPick={(action) => setValue({ ...value, action })}
        />
      </View>
      <View className='templates__field'>
        <Label>问题类别</Label>
        <Choices
          small
          choices={[
            { value: ANY as CategoryChoice, label: '所有类别', testId: 'template-category-any' },
            ...CATEGORIES.map((c) => ({ value: c.code as CategoryChoice, label: c.label, testId: `template-category-${c.code}` })),
          ]}
          value={value.category}
          onPick={(category) => setValue({ ...value, category })}
        />
      </View>
      <View className='templates__field'>
        <Label>标题</Label>
        <Input
          className='admin-input'
          value={value.title}
          maxLength={TEMPLATE_TITLE_MAX}
          placeholder='例如：已受理'
          onChange={(title) => setValue({ ...value, title })}
          data-testid='template-title'
        />
      </View>
      <View className='templates__field'>
        <Label>回复内容</Label>
        <TextArea
          value={value.text}
          maxLength={TEMPLATE_TEXT_MAX}
          placeholder='例如：您好，您反映的问题（{编号}）我们已经受理……'
          onChange={(text) => setValue({ ...value, text })}
          data-testid='template-text'
        />
        <Text className='mq-muted'>{PLACEHOLDER_HINT}</Text>
      </View>
      {save.error ? (
        <Notice tone='error' testId='template-error'>
          {`没有保存：${fieldMessage(save.error)}`}
        </Notice>
      ) : null}
      <Actions>
        <Button
          type='primary'
          loading={save.busy}
          disabled={save.busy || !value.title.trim() || !value.text.trim() || !value.placeId}
          onClick={() => void save.run()}
          data-testid='template-save'
        >
          {save.busy ? '正在保存…' : '保存'}
        </Button>
        <Button disabled={save.busy} onClick={onCancel} data-testid='template-cancel'>
          取消
        </Button>
      </Actions>
    </Card>
  )
}

function TemplateRow({ template, manageable, onEdit, onDelete }: { template: ReplyTemplate; manageable: boolean; onEdit: () => void; onDelete: () => void }) {
  return (
    <View className='templates__row' data-testid='template-row' data-title={template.title}>
      <View className='templates__row-head'>
        <Text className='templates__title'>{template.title}</Text>
        <Text className='mq-muted'>
          {`${template.category ? categoryOf(template.category).label : '所有类别'} · ${PLACE_KIND_LABELS[template.placeKind]}：${template.placeName}`}
        </Text>
      </View>
      <Text className='mq-text templates__text'>{template.text}</Text>
      {manageable ? (
        <Actions>
          <Button size='small' onClick={onEdit} data-testid='template-edit'>
            修改
          </Button>
          <Button size='small' type='danger' onClick={onDelete} data-testid='template-delete'>
            删除
          </Button>
        </Actions>
      ) : (
        <Text className='mq-muted'>由上级设置，您可以在本小区添加同名回复来替换它。</Text>
      )}
    </View>
  )
}

function TemplatesConsole({ initialCompound }: { initialCompound: string | null }) {
  const compounds = useCompounds(initialCompound)
  const compoundId = compounds.compoundId
  const list = useResource(compoundId ? `admin-templates:${compoundId}` : null, () => compoundTemplates(compoundId!))
  const [draft, setDraft] = useState<Draft | null>(null)
  const [notice, setNotice] = useState<Said>(null)
  const { confirm, dialog } = useConfirm()
  const remove = useMutation(async (template: ReplyTemplate) => {
    await deleteTemplate(template.id)
    setNotice({ kind: 'ok', text: `已删除「${template.title}」` })
    await list.reload()
  })

  async function askDelete(template: ReplyTemplate): Promise<void> {
    const yes = await confirm({ title: '删除常用回复', content: `删除「${template.title}」？工作人员将不再看到它。`, confirmText: '删除' })
    if (yes) await remove.run(template)
  }

  return (
    <View data-testid='templates'>
      {dialog}
      <PageTitle>常用回复</PageTitle>
      <Lead>工作人员受理、答复、办结时点一下就能填入的话，可以再改。按小区设置，也可以设在社区或街道给下属小区共用。</Lead>
      <CompoundPicker state={compounds} />
      {notice ? (
        <Notice tone={notice.kind} testId='templates-notice'>
          {notice.text}
        </Notice>
      ) : null}
      {remove.error ? <Notice tone='error'>{`没有删除：${fieldMessage(remove.error)}`}</Notice> : null}
      {compoundId ? (
        <Loaded resource={list} rows={4}>
          {(current) => {
            const manageable = new Set(current.places.filter((p) => p.manageable).map((p) => p.id))
            const home = current.places.find((p) => p.manageable)
            return (
              <>
                {draft ? (
                  <TemplateForm
                    key={draft.id ?? 'new'}
                    draft={draft}
                    places={current.places}
                    onCancel={() => setDraft(null)}
                    onSaved={(text) => {
                      setDraft(null)
                      setNotice({ kind: 'ok', text })
                      void list.reload()
                    }}
                  />
                ) : home ? (
                  <Actions>
                    <Button
                      type='primary'
                      onClick={() => {
                        setNotice(null)
                        setDraft({ id: null, placeId: home.id, action: 'accept', category: ANY, title: '', text: '' })
                      }}
                      data-testid='template-add'
                    >
                      添加常用回复
                    </Button>
                  </Actions>
                ) : null}
                {TEMPLATE_ACTIONS.map((action) => {
                  const rows = current.templates.filter((t) => t.action === action)
                  return (
                    <Card key={action} title={TEMPLATE_ACTION_LABELS[action]} testId={`templates-${action}`}>
                      {rows.length === 0 ? <Text className='mq-muted'>还没有。</Text> : null}
                      {rows.map((t) => (
                        <TemplateRow
                          key={t.id}
                          template={t}
                          manageable={manageable.has(t.placeId)}
                          onEdit={() => {
                            setNotice(null)
                            setDraft({ id: t.id, placeId: t.placeId, action: t.action, category: t.category ?? ANY, title: t.title, text: t.text })
                          }}
                          onDelete={() => void askDelete(t)}
                        />
                      ))}
                    </Card>
                  )
                })}
              </>
            )
          }}
        </Loaded>
      ) : null}
    </View>
  )
}

export function TemplatesPage() {
  const { params } = useRouter()
  return <AdminShell active='templates'>{() => <TemplatesConsole initialCompound={params.compoundId ?? null} />}</AdminShell>
}

export default TemplatesPage
