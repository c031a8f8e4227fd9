import { useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import { PUBLIC_SUMMARY_MAX, type PublicSummaryInput, type TicketView } from '@mq/shared'
import { fieldMessage, toApiError, type ApiError } from '@/api/client'
import { editPublicSummary } from '@/api/staff-requests'

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
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)

  function startEditing(): void {
    setDrafts({ text: summary.text, commitment: summary.commitment ?? '', resolution: summary.resolution ?? '' })
    setProblems({})
    setError(null)
  }

  async function submit(input: PublicSummaryInput, message: string): Promise<void> {
    setBusy(true)
    setError(null)
    try {
      const view = await editPublicSummary(ticket.id, input)
      setDrafts(null)
      onSaved(view, message)
    } catch (err) {
      setError(toApiError(err))
    } finally {
      setBusy(false)
    }
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
    void submit(input, '公示内容已保存')
  }

  function restore(): void {
    const input: PublicSummaryInput = {}
    for (const field of fields) input[field] = null
    void submit(input, '已恢复原文')
  }

  return (
    <View className='st-card' data-testid='public-summary' data-edited={summary.edited ? 'true' : 'false'}>
      <View className='request__top'>
        <Text className='st-h2'>公示内容</Text>
        {summary.edited ? (
          <Text className='st-tag st-tag--warn' data-testid='public-summary-edited'>
            已修改
          </Text>
        ) : null}
      </View>
      <Text className='st-hint public-summary__lead'>公示栏和扫码页上其他居民能看到的内容。电话、身份证号、门牌号、姓名、车牌已自动隐去；修改时请勿写入个人信息。</Text>
      {drafts ? (
        <View data-testid='public-summary-form'>
          {fields.map((field) => (
            <View key={field} className='st-field'>
              <Text className='st-label'>{FIELD_LABELS[field]}</Text>
              <Textarea
                className='st-textarea'
                value={drafts[field]}
                maxlength={PUBLIC_SUMMARY_MAX}
                onInput={(e) => setDrafts({ ...drafts, [field]: e.detail.value })}
                data-testid={`public-summary-input-${field}`}
              />
              <Text className='st-counter'>{`${drafts[field].trim().length}/${PUBLIC_SUMMARY_MAX}`}</Text>
              {problems[field] ? (
                <Text className='st-field-error' data-testid={`public-summary-problem-${field}`}>
                  {problems[field]}
                </Text>
              ) : null}
              {originalOf(ticket, field) ? (
                <Text className='st-hint'>{`原文：${originalOf(ticket, field)}`}</Text>
              ) : null}
            </View>
          ))}
          {error ? (
            <View className='st-alert st-alert--error' data-testid='public-summary-error'>
              <Text className='st-alert__text'>{fieldMessage(error)}</Text>
            </View>
          ) : null}
          <View className='st-actions public-summary__buttons'>
            <Button className='st-btn' disabled={busy || undefined} onClick={() => setDrafts(null)} data-testid='public-summary-cancel'>
              取消
            </Button>
            <Button className='st-btn st-btn--primary' disabled={busy || undefined} onClick={save} data-testid='public-summary-save'>
              {busy ? '正在保存…' : '保存'}
            </Button>
            {summary.edited ? (
              <Button
                className='st-btn st-actions__wide'
                disabled={busy || undefined}
                onClick={restore}
                data-testid='public-summary-restore'
              >
                恢复原文
              </Button>
            ) : null}
          </View>
          <Text className='st-hint'>修改只影响公示栏；原来的答复和办结说明保留在办理记录中。</Text>
        </View>
      ) : (
        <View>
          {fields.map((field) => (
            <View key={field} className='st-kv'>
              <Text className='st-kv__k'>{FIELD_LABELS[field]}</Text>
              <Text className='st-kv__v' data-testid={`public-summary-${field}`}>
                {summary[field] ?? '（无）'}
              </Text>
            </View>
          ))}
          {fields.length === 1 ? (
            <Text className='st-muted' data-testid='public-summary-none'>
              答复承诺或办结后，公示栏还会显示承诺和办理结果，届时可在这里修改措辞。
            </Text>
          ) : null}
          {error ? (
            <View className='st-alert st-alert--error' data-testid='public-summary-error'>
              <Text className='st-alert__text'>{error.message}</Text>
            </View>
          ) : null}
          {editable ? (
            <View className='st-actions public-summary__buttons'>
              <Button className='st-btn' disabled={busy || undefined} onClick={startEditing} data-testid='public-summary-edit'>
                编辑
              </Button>
              {summary.edited ? (
                <Button className='st-btn' disabled={busy || undefined} onClick={restore} data-testid='public-summary-restore'>
                  恢复原文
                </Button>
              ) : null}
            </View>
          ) : null}
        </View>
      )}
    </View>
  )
}
