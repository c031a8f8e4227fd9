import { useState } from 'react'
import { TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { PUBLIC_SUMMARY_MAX, type PublicSummaryInput, type TicketView } from '@mq/shared'
import { fieldMessage } from '@/api/client'
import { editPublicSummary } from '@/api/staff-requests'
import { useMutation } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Notice, Tag } from '@/ui/parts'
import { Field, Kv } from '../../components/parts'

type Field = 'text' | 'commitment' | 'resolution'

const FIELD_LABELS: Record<Field, string> = { text: '问题描述', commitment: '公开承诺', resolution: '办理结果' }

/** The fields a request has something public for: always its description, then a reply's plan, a resolution note. */
function fieldsOf(ticket: TicketView): Field[] {
  const fields: Field[] = ['text']
  if (ticket.promise || ticket.publicSummary.commitment !== null) fields.push('commitment')
  if (ticket.resolution || ticket.publicSummary.resolution !== null) fields.push('resolution')
  return fields
}

/** The staff's original words behind a field; the description's public text is redacted by the server, so it has none here. */
function originalOf(ticket: TicketView, field: Field): string | null {
  if (field === 'text') return null
  return field === 'commitment' ? (ticket.promise?.plan ?? null) : (ticket.resolution?.note ?? null)
}

/** A problem with a draft, in the words shown under its box; null when it can be saved. */
export function draftProblem(field: Field, text: string): string | null {
  const trimmed = text.trim()
  if (trimmed.length === 0) return `请填写${FIELD_LABELS[field]}，或点「恢复原文」`
  if (trimmed.length > PUBLIC_SUMMARY_MAX) return `${FIELD_LABELS[field]}不能超过 ${PUBLIC_SUMMARY_MAX} 字`
  return null
}

/**
 * 公示内容: what the public board shows of this request (the commitment and the resolution, without any
 * personal data), and for staff who may change it, an editor. The original reply and note stay in the
 * timeline; the board shows the edited text.
 */
export function PublicSummaryCard({
  ticket,
  editable,
  onSaved,
}: {
  ticket: TicketView
  editable: boolean
  onSaved: (view: TicketView, message: string) => void
}) {
  const fields = fieldsOf(ticket)
  const summary = ticket.publicSummary
  const [drafts, setDrafts] = useState<Record<Field, string> | null>(null)
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({})
  const saving = useMutation(async (input: PublicSummaryInput, message: string) => {
    const view = await editPublicSummary(ticket.id, input)
    setDrafts(null)
    onSaved(view, message)
  })
  const { busy, error } = saving

  function startEditing(): void {
    setDrafts({ text: summary.text, commitment: summary.commitment ?? '', resolution: summary.resolution ?? '' })
    setProblems({})
    saving.reset()
  }

  function submit(input: PublicSummaryInput, message: string): void {
    void saving.run(input, message)
  }

  function save(): void {
    if (!drafts) return
    const found: Partial<Record<Field, string>> = {}
    const input: PublicSummaryInput = {}
    for (const field of fields) {
      const problem = draftProblem(field, drafts[field])
      if (problem) found[field] = problem
      else {
        const text = drafts[field].trim()
        // Back to the original wording is the original (null), not an edit that happens to match it.
        if (text !== (summary[field] ?? '')) input[field] = text === originalOf(ticket, field) ? null : text
      }
    }
    setProblems(found)
    if (Object.keys(found).length > 0) return
    if (Object.keys(input).length === 0) {
      setDrafts(null)
      return
    }
    submit(input, '公示内容已保存')
  }

  function restore(): void {
    const input: PublicSummaryInput = {}
    for (const field of fields) input[field] = null
    submit(input, '已恢复原文')
  }

  return (
    <Card
      title='公示内容'
      extra={
        summary.edited ? (
          <Tag tone='warn' outline testId='public-summary-edited'>
            已修改
          </Tag>
        ) : null
      }
      testId='public-summary'
      data-edited={summary.edited ? 'true' : 'false'}
    >
      <Text className='st-hint public-summary__lead'>公示栏和扫码页上其他居民能看到的内容。电话、身份证号、门牌号、姓名、车牌已自动隐去；修改时请勿写入个人信息。</Text>
      {drafts ? (
        <View data-testid='public-summary-form'>
          {fields.map((field) => (
            <Field
              key={field}
              label={FIELD_LABELS[field]}
              error={problems[field]}
              errorTestId={`public-summary-problem-${field}`}
              hint={originalOf(ticket, field) ? `原文：${originalOf(ticket, field)}` : undefined}
            >
              <TextArea
                value={drafts[field]}
                maxLength={PUBLIC_SUMMARY_MAX}
                onChange={(value) => setDrafts({ ...drafts, [field]: value })}
                data-testid={`public-summary-input-${field}`}
              />
              <Text className='st-counter'>{`${drafts[field].trim().length}/${PUBLIC_SUMMARY_MAX}`}</Text>
            </Field>
          ))}
          {error ? (
            <Notice tone='error' testId='public-summary-error'>
              <Text className='st-text'>{fieldMessage(error)}</Text>
            </Notice>
          ) : null}
          <View className='st-actions'>
            <Button disabled={busy} onClick={() => setDrafts(null)} data-testid='public-summary-cancel'>
              取消
            </Button>
            <Button type='primary' fill='solid' disabled={busy} onClick={save} data-testid='public-summary-save'>
              {busy ? '正在保存…' : '保存'}
            </Button>
            {summary.edited ? (
              <Button className='st-wide' disabled={busy} onClick={restore} data-testid='public-summary-restore'>
                恢复原文
              </Button>
            ) : null}
          </View>
          <Text className='st-hint'>修改只影响公示栏；原来的答复和办结说明保留在办理记录中。</Text>
        </View>
      ) : (
        <View>
          {fields.map((field) => (
            <Kv key={field} k={FIELD_LABELS[field]} testId={`public-summary-${field}`}>
              {summary[field] ?? '（无）'}
            </Kv>
          ))}
          {fields.length === 1 ? (
            <Text className='st-muted' data-testid='public-summary-none'>
              答复承诺或办结后，公示栏还会显示承诺和办理结果，届时可在这里修改措辞。
            </Text>
          ) : null}
          {error ? (
            <Notice tone='error' testId='public-summary-error'>
              <Text className='st-text'>{error.message}</Text>
            </Notice>
          ) : null}
          {editable ? (
            <View className='st-actions'>
              <Button disabled={busy} onClick={startEditing} data-testid='public-summary-edit'>
                编辑
              </Button>
              {summary.edited ? (
                <Button disabled={busy} onClick={restore} data-testid='public-summary-restore'>
                  恢复原文
                </Button>
              ) : null}
            </View>
          ) : null}
        </View>
      )}
    </Card>
  )
}
