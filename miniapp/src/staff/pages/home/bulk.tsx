// 多选: the inbox's selection bar, the batch actions (受理, 转办 to one role, 备注) and the report after a run.
import { useState } from 'react'
import { TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import {
  BATCH_MAX,
  HANDLER_ROLES,
  HANDLING_TEXT_MAX,
  ROLE_LABELS,
  can,
  type BatchResult,
  type HandlerRole,
} from '@mq/shared'
import { acceptMany, noteMany, transferMany } from '@/api/staff-requests'
import { useMutation } from '@/data/resource'
import { Button } from '@/ui/button'
import { Choices, Notice } from '@/ui/parts'
import { ErrorNote, Field } from '../../components/parts'

export type BulkAction = 'accept' | 'transfer' | 'note'

const VERBS: Record<BulkAction, string> = { accept: '受理', transfer: '转办', note: '备注' }
const TRANSFER_ROLES: readonly HandlerRole[] = HANDLER_ROLES.filter((r) => can(r, 'handle_tickets'))

/** The selected requests: id → number (the number stays known when the row leaves the page). */
export type Selection = ReadonlyMap<string, string>

export interface BulkReport {
  action: BulkAction
  succeeded: number
  failed: { id: string; number: string; message: string }[]
}

/** 「已受理 19 件；1 件未受理：」 then one line per refused request. */
export function reportTitle(report: BulkReport): string {
  const verb = VERBS[report.action]
  const done = `已${verb} ${report.succeeded} 件`
  return report.failed.length === 0 ? done : `${done}；${report.failed.length} 件未${verb}：`
}

export function toReport(action: BulkAction, result: BatchResult, selection: Selection): BulkReport {
  return {
    action,
    succeeded: result.succeeded,
    failed: result.results.flatMap((r) =>
      r.ok ? [] : [{ id: r.id, number: selection.get(r.id) ?? '', message: r.error.message }],
    ),
  }
}

export function BulkReportNote({ report }: { report: BulkReport }) {
  return (
    <Notice tone={report.failed.length === 0 ? 'ok' : 'warn'} title={reportTitle(report)} testId='bulk-report'>
      {report.failed.length > 0 ? (
        <View>
          {report.failed.map((f) => (
            <Text key={f.id} className='bulk-report__line' data-testid='bulk-report-failed' data-number={f.number}>
              {`${f.number} ${f.message}`}
            </Text>
          ))}
          <Text className='st-muted bulk-report__line'>未办成的仍选着，可以再试或逐条处理。</Text>
        </View>
      ) : null}
    </Notice>
  )
}

/**
 * The bar over the list while selecting: how many are chosen, 全选本页 and 取消, and the three actions;
 * 转办 and 备注 open a short form first. `onDone` gets the report and the requests still to select.
 */
export function BulkBar({
  selection,
  pageIds,
  onSelectPage,
  onClear,
  onExit,
  onDone,
}: {
  selection: Selection
  pageIds: string[]
  onSelectPage: () => void
  onClear: () => void
  onExit: () => void
  onDone: (report: BulkReport) => void
}) {
  const [form, setForm] = useState<'transfer' | 'note' | null>(null)
  const [role, setRole] = useState<HandlerRole | null>(null)
  const [text, setText] = useState('')
  const ids = [...selection.keys()]
  const offPage = ids.filter((id) => !pageIds.includes(id)).length
  const allOnPage = pageIds.length > 0 && pageIds.slice(0, BATCH_MAX).every((id) => selection.has(id))

  const run = useMutation(async (action: BulkAction) => {
    const result =
      action === 'accept'
        ? await acceptMany(ids)
        : action === 'transfer'
          ? await transferMany(ids, { toRole: role!, reason: text.trim() })
          : await noteMany(ids, text.trim())
    setForm(null)
    setText('')
    onDone(toReport(action, result, selection))
  })
  const none = ids.length === 0

  return (
    <View className='mq-card bulk-bar' data-testid='bulk-bar' data-selected={String(ids.length)}>
      <View className='bulk-bar__head'>
        <Text className='bulk-bar__count' data-testid='bulk-count'>{offPage > 0 ? `已选 ${ids.length} 件（${offPage} 件不在此列表）` : `已选 ${ids.length} 件`}</Text>
        <Button size='small' onClick={allOnPage ? onClear : onSelectPage} data-testid='bulk-all'>
          {allOnPage ? '全不选' : '全选本页'}
        </Button>
        <Button size='small' onClick={onExit} data-testid='bulk-exit'>
          退出多选
        </Button>
      </View>
      {pageIds.length > BATCH_MAX ? <Text className='st-hint'>{`一次最多${BATCH_MAX}件，全选只选前${BATCH_MAX}件。`}</Text> : null}
      {form === null ? (
        <View className='bulk-bar__actions'>
          <Button type='primary' disabled={none || run.busy} onClick={() => void run.run('accept')} data-testid='bulk-accept'>
            {run.busy ? '正在办理…' : '批量受理'}
          </Button>
          <Button disabled={none || run.busy} onClick={() => setForm('transfer')} data-testid='bulk-transfer'>
            批量转办
          </Button>
          <Button disabled={none || run.busy} onClick={() => setForm('note')} data-testid='bulk-note'>
            批量备注
          </Button>
        </View>
      ) : (
        <View data-testid={`bulk-form-${form}`}>
          {form === 'transfer' ? (
            <Field label='转给哪个岗位' hint='每件诉求转给该岗位在它所在楼栋或小区的负责人。'>
              <Choices
                choices={TRANSFER_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r], testId: `bulk-role-${r}` }))}
                value={role}
                onPick={setRole}
                grid
              />
            </Field>
          ) : null}
          <Field label={form === 'transfer' ? '转办理由' : '备注（仅工作人员可见）'}>
            <TextArea
              value={text}
              maxLength={HANDLING_TEXT_MAX}
              placeholder={form === 'transfer' ? '例如：属于治安问题，请民警处理' : '例如：周一统一上门处理'}
              onChange={setText}
              data-testid='bulk-text'
            />
          </Field>
          <View className='bulk-bar__actions'>
            <Button
              type='primary'
              disabled={none || run.busy || text.trim().length === 0 || (form === 'transfer' && !role)}
              onClick={() => void run.run(form)}
              data-testid='bulk-submit'
            >
              {run.busy ? '正在办理…' : `确认${VERBS[form]} ${ids.length} 件`}
            </Button>
            <Button disabled={run.busy} onClick={() => setForm(null)}>
              取消
            </Button>
          </View>
        </View>
      )}
      {run.error ? <ErrorNote message={run.error.message} requestId={run.error.requestId} /> : null}
    </View>
  )
}
