import { useState, type ReactNode } from 'react'
import { TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import {
  CATEGORIES,
  HANDLER_ROLES,
  HANDLING_TEXT_MAX,
  ROLE_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
  can,
  filingPromise,
  categoryOf,
  type CategoryCode,
  type HandlerRole,
  type Severity,
  type TemplateAction,
  type TicketCommand,
  type TicketListItem,
  type TicketCandidates,
  type TicketView,
} from '@mq/shared'
import { fieldMessage, type ApiError } from '@/api/client'
import { promiseText } from '@/components/due'
import {
  acceptRequest,
  addCoHandler,
  addNote,
  inbox,
  mergeRequest,
  messageReporter,
  rejectRequest,
  removeCoHandler,
  replyRequest,
  requestCandidates,
  requestTemplates,
  resolveRequest,
  resumeRequest,
  transferRequest,
  waitForResident,
} from '@/api/staff-requests'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Choices, Notice } from '@/ui/parts'
import { Loaded, Nothing } from '@/ui/states'
import { promiseRange, promisedAtFor } from '../dates'
import { DateField, Field } from './parts'
import { PhotoPicker, type PickedPhoto } from './photo-picker'
import { useNow } from './use-now'

interface FormProps {
  ticket: TicketView
  onDone: (view: TicketView, message: string) => void
  onCancel: () => void
}

/** An action's request: one at a time; its answer goes back to the page with what to say. */
function useSubmit(onDone: FormProps['onDone']) {
  const change = useMutation(async (call: () => Promise<TicketView>, message: string) => {
    onDone(await call(), message)
  })
  return { busy: change.busy, error: change.error, run: change.run }
}

function ActionError({ error }: { error: ApiError | null }) {
  if (!error) return null
  return (
    <Notice tone='error' testId='action-error'>
      <Text className='st-text'>{fieldMessage(error)}</Text>
      {error.requestId && error.code !== 'VALIDATION_FAILED' ? <Text className='st-hint'>{`错误编号：${error.requestId}`}</Text> : null}
    </Notice>
  )
}

function Shell({
  title,
  lead,
  children,
  error,
  busy,
  submitLabel,
  canSubmit = true,
  danger,
  onSubmit,
  onCancel,
  testId,
}: {
  title: string
  lead?: string
  children?: ReactNode
  error: ApiError | null
  busy: boolean
  submitLabel: string
  canSubmit?: boolean
  danger?: boolean
  onSubmit: () => void
  onCancel: () => void
  testId: string
}) {
  return (
    <View className='mq-card action-form' data-testid={testId}>
      <Text className='mq-card__title'>{title}</Text>
      {lead ? <Text className='st-muted'>{lead}</Text> : null}
      {children}
      <View className='action-form__error'>
        <ActionError error={error} />
      </View>
      <View className='action-form__buttons'>
        <Button disabled={busy} onClick={onCancel} data-testid='action-cancel'>
          取消
        </Button>
        <Button
          type={danger ? 'danger' : 'primary'}
          fill='solid'
          disabled={busy || !canSubmit}
          onClick={onSubmit}
          data-testid='action-submit'
        >
          {busy ? '正在提交…' : submitLabel}
        </Button>
      </View>
    </View>
  )
}

function TextField({
  label,
  value,
  onChange,
  placeholder,
  optional,
  testId,
}: {
  label: string
  value: string
  onChange: (value: string) => void
  placeholder: string
  optional?: boolean
  testId: string
}) {
  return (
    <Field label={label} optional={optional}>
      <TextArea value={value} maxLength={HANDLING_TEXT_MAX} placeholder={placeholder} onChange={onChange} data-testid={testId} />
      <Text className='st-counter'>{`${value.length}/${HANDLING_TEXT_MAX}`}</Text>
    </Field>
  )
}

/** One choice among a few; each option's test id is the group's plus the option. */
function Chips<T extends string>({
  options,
  label,
  onChange,
  testId,
  ...rest
}: {
  options: readonly T[]
  value: T | null
  label: (option: T) => string
  onChange: (option: T) => void
  grid?: boolean
  testId: string
}) {
  const choices = options.map((o) => ({ value: o, label: label(o), testId: `${testId}-${o}` }))
  return <Choices {...rest} choices={choices} onPick={onChange} testId={testId} />
}

/** The request's 常用回复 for an action, filled in by the server; loaded once per form. */
function useTemplates(ticket: TicketView, action: TemplateAction) {
  return useResource(`templates:${ticket.id}:${action}`, () => requestTemplates(ticket.id, action), { refreshOnShow: false })
}

/**
 * 常用回复 as chips above a text box: one tap puts the template's words in the box, where they stay
 * editable. Nothing shows while they load or when there are none (the box works without them).
 */
function TemplateChips({
  templates,
  onPick,
  testId,
}: {
  templates: ReturnType<typeof useTemplates>
  onPick: (text: string) => void
  testId: string
}) {
  const [picked, setPicked] = useState<string | null>(null)
  const list = templates.data?.templates ?? []
  if (list.length === 0) return null
  return (
    <Field label='常用回复' hint='点一下填入下面的框，可以再修改。'>
      <Choices
        choices={list.map((t) => ({ value: t.id, label: t.title, testId: `${testId}-option` }))}
        value={picked}
        onPick={(id) => {
          setPicked(id)
          const chosen = list.find((t) => t.id === id)
          if (chosen) onPick(chosen.text)
        }}
        small
        testId={testId}
      />
    </Field>
  )
}

const CATEGORY_CODES_IN_ORDER = CATEGORIES.map((c) => c.code)

function AcceptForm({ ticket, onDone, onCancel }: FormProps) {
  const [category, setCategory] = useState<CategoryCode>(ticket.category)
  const [severity, setSeverity] = useState<Severity>(ticket.severity)
  const [words, setWords] = useState('')
  const templates = useTemplates(ticket, 'accept')
  // Accepting, then the words to the reporter in the thread: once accepted, a failed message is said, not retried.
  const { busy, error, run } = useMutation(async () => {
    const accepted = await acceptRequest(ticket.id, {
      ...(category !== ticket.category ? { category } : {}),
      ...(severity !== ticket.severity ? { severity } : {}),
    })
    const text = words.trim()
    if (!text) return onDone(accepted, '已受理')
    const sent = await messageReporter(ticket.id, text).then(
      (view) => ({ view, said: '已受理，并已告知居民' }),
      (failure: ApiError) => ({ view: accepted, said: `已受理；给居民的话没有发出（${fieldMessage(failure)}），请在留言里再发一次` }),
    )
    onDone(sent.view, sent.said)
  })
  const changed = category !== ticket.category || severity !== ticket.severity
  const now = useNow(30_000)
  // What each choice owes the resident, counted from filing by the deadline rules (not 今天 for a
  // simple request filed after the day's cut-off).
  const promiseOf = (s: Severity) => promiseText(filingPromise(s, new Date(ticket.createdAt)), now)
  return (
    <Shell
      title='受理'
      lead='确认类别和难易程度；改动后处理时限随之调整。'
      error={error}
      busy={busy}
      submitLabel={changed ? '修改并受理' : '确认受理'}
      onCancel={onCancel}
      onSubmit={() => void run()}
      testId='form-accept'
    >
      <Field label='问题类别'>
        <Chips
          options={CATEGORY_CODES_IN_ORDER}
          value={category}
          label={(c) => categoryOf(c).label}
          onChange={setCategory}
          grid
          testId='accept-category'
        />
      </Field>
      <Field label='难易程度'>
        <Chips
          options={SEVERITIES}
          value={severity}
          label={(s) => `${SEVERITY_LABELS[s]}（${promiseOf(s)}）`}
          onChange={setSeverity}
          testId='accept-severity'
        />
      </Field>
      <TemplateChips templates={templates} onPick={setWords} testId='accept-templates' />
      <TextField
        label='告诉居民'
        optional
        value={words}
        onChange={setWords}
        placeholder='例如：已受理，明天上午到现场查看'
        testId='accept-words'
      />
    </Shell>
  )
}

function ReplyForm({ ticket, onDone, onCancel }: FormProps) {
  const [range] = useState(() => promiseRange(Date.now()))
  const [plan, setPlan] = useState('')
  const [date, setDate] = useState(range.suggested)
  const templates = useTemplates(ticket, 'reply')
  const { busy, error, run } = useSubmit(onDone)
  return (
    <Shell
      title='答复承诺'
      lead='写明办理方案和承诺办结日期，居民会看到，并作为公开承诺公示。'
      error={error}
      busy={busy}
      submitLabel='提交答复'
      canSubmit={plan.trim().length > 0}
      onCancel={onCancel}
      onSubmit={() =>
        void run(() => replyRequest(ticket.id, { plan: plan.trim(), promisedAt: promisedAtFor(date, Date.now()) }), '已答复')
      }
      testId='form-reply'
    >
      <TemplateChips templates={templates} onPick={setPlan} testId='reply-templates' />
      <TextField label='办理方案' value={plan} onChange={setPlan} placeholder='例如：本周内约双方到社区调解室当面协商' testId='reply-plan' />
      <Field label='承诺办结日期' hint={`最晚可承诺到 ${range.end}；超过需上级延期。`}>
        <DateField
          title='承诺办结日期'
          value={date}
          start={range.start}
          end={range.end}
          onChange={setDate}
          testId='reply-date'
          valueTestId='reply-date-value'
        />
      </Field>
    </Shell>
  )
}

function ResolveForm({ ticket, onDone, onCancel }: FormProps) {
  const [note, setNote] = useState('')
  const [photos, setPhotos] = useState<PickedPhoto[]>([])
  const templates = useTemplates(ticket, 'resolve')
  const { busy, error, run } = useSubmit(onDone)
  const uploading = photos.some((p) => !p.id && !p.failed)
  const before = ticket.photos.report.length
  const required = templates.data?.afterPhoto.required ?? false
  const uploaded = photos.some((p) => p.id)
  return (
    <Shell
      title='办结'
      lead='写明怎么解决的，可附上处理后的照片。居民会看到，并请居民评价。'
      error={error}
      busy={busy}
      submitLabel={uploading ? '照片上传中…' : required && !uploaded ? '请先拍处理后照片' : '确认办结'}
      canSubmit={note.trim().length > 0 && !uploading && (!required || uploaded)}
      onCancel={onCancel}
      onSubmit={() =>
        void run(
          () =>
            resolveRequest(ticket.id, {
              note: note.trim(),
              photoIds: photos.map((p) => p.id).filter((id): id is string => Boolean(id)),
            }),
          '已办结',
        )
      }
      testId='form-resolve'
    >
      <TemplateChips templates={templates} onPick={setNote} testId='resolve-templates' />
      <TextField label='办结说明' value={note} onChange={setNote} placeholder='例如：已联系志愿者，每周二、五上门送菜' testId='resolve-note' />
      {before > 0 ? (
        <Notice tone='warn' title='请拍处理后的照片' testId='resolve-after-prompt'>
          <Text className='st-text'>
            {required
              ? `居民反映时附了${before}张照片。这类问题办结须附处理后的照片，请在同一位置、同一角度拍一张，居民会看到前后对比。`
              : `居民反映时附了${before}张照片。请在同一位置、同一角度拍一张处理后的照片，居民会看到前后对比。`}
          </Text>
        </Notice>
      ) : null}
      <Field label='处理后照片' optional={!required}>
        <PhotoPicker photos={photos} onChange={setPhotos} testId='resolve-photos' />
      </Field>
    </Shell>
  )
}

type Candidate = TicketCandidates['candidates'][number]

/** Staff who may handle the request's unit (transfer and co-handler pickers); empty until loaded. */
function useCandidates(ticketId: string): Candidate[] {
  // A failure leaves the pickers to roles; the action itself reports errors.
  const found = useResource(`candidates:${ticketId}`, () => requestCandidates(ticketId), { refreshOnShow: false })
  return found.data?.candidates ?? []
}

const candidateLabel = (c: Candidate) => `${c.name}（${c.roleLabel}）`

/** The view names the handler by role and name (no staff id): enough to leave them out of the pickers. */
const isHandler = (ticket: TicketView, c: Candidate) => c.role === ticket.handlerRole && c.name === ticket.handlerName

/** Roles a request can go to: those that handle requests (shared policy). */
const TRANSFER_ROLES: readonly HandlerRole[] = HANDLER_ROLES.filter((r) => can(r, 'handle_tickets'))

function TransferForm({ ticket, onDone, onCancel }: FormProps) {
  const people = useCandidates(ticket.id).filter((c) => !isHandler(ticket, c))
  const [mode, setMode] = useState<'role' | 'person'>('role')
  const [role, setRole] = useState<HandlerRole | null>(null)
  const [person, setPerson] = useState<string | null>(null)
  const [reason, setReason] = useState('')
  const { busy, error, run } = useSubmit(onDone)
  const target = mode === 'role' ? role : person
  return (
    <Shell
      title='转办'
      lead={
        people.length > 0
          ? '转给更合适的岗位（由系统找到该岗位的负责人）或指定的工作人员，并说明理由。'
          : '转给更合适的岗位，由系统按责任清单找到该岗位在本单元、楼栋或小区的负责人。请说明理由。'
      }
      error={error}
      busy={busy}
      submitLabel='确认转办'
      canSubmit={Boolean(target) && reason.trim().length > 0}
      onCancel={onCancel}
      onSubmit={() =>
        void run(
          () =>
            transferRequest(ticket.id, {
              ...(mode === 'role' ? { toRole: role! } : { toStaffId: person! }),
              reason: reason.trim(),
            }),
          '已转办',
        )
      }
      testId='form-transfer'
    >
      {people.length > 0 ? (
        <Field>
          <Chips
            options={['role', 'person'] as const}
            value={mode}
            label={(m) => (m === 'role' ? '转给岗位' : '转给具体人员')}
            onChange={setMode}
            testId='transfer-mode'
          />
        </Field>
      ) : null}
      {mode === 'role' ? (
        <Field label='转给哪个岗位'>
          <Chips
            options={TRANSFER_ROLES.filter((r) => r !== ticket.handlerRole)}
            value={role}
            label={(r) => ROLE_LABELS[r]}
            onChange={setRole}
            grid
            testId='transfer-role'
          />
        </Field>
      ) : (
        <Field label='转给哪位工作人员'>
          <Chips
            options={people.map((p) => p.staffId)}
            value={person}
            label={(id) => candidateLabel(people.find((x) => x.staffId === id)!)}
            onChange={setPerson}
            testId='transfer-person'
          />
        </Field>
      )}
      <TextField label='转办理由' value={reason} onChange={setReason} placeholder='例如：属于治安问题，请民警处理' testId='transfer-reason' />
    </Shell>
  )
}

function CoHandlersForm({ ticket, onDone, onCancel }: FormProps) {
  const { busy, error, run } = useSubmit(onDone)
  const taken = new Set(ticket.coHandlers.map((c) => c.staffId))
  const addable = useCandidates(ticket.id).filter((c) => !isHandler(ticket, c) && !taken.has(c.staffId))
  const [adding, setAdding] = useState<string | null>(null)
  return (
    <View className='mq-card action-form' data-testid='form-co_handlers'>
      <Text className='mq-card__title'>联办人（难事联办）</Text>
      <Text className='st-muted'>联办人与处理人一起办理这条诉求，会收到派单通知。按责任清单派单时，协办岗位会自动加为联办人。</Text>
      {ticket.coHandlers.length === 0 ? (
        <Text className='st-muted co-handler-none'>暂无联办人</Text>
      ) : (
        ticket.coHandlers.map((c) => (
          <View key={`${c.staffId ?? c.name}-${c.role}`} className='st-kv co-handler' data-testid='co-handler'>
            <Text className='st-kv__v'>{`${c.name}（${ROLE_LABELS[c.role]}）`}</Text>
            {c.staffId ? (
              <Button
                type='danger'
                size='small'
                disabled={busy}
                onClick={() => void run(() => removeCoHandler(ticket.id, c.staffId!), `已移除联办人 ${c.name}`)}
              >
                移除
              </Button>
            ) : null}
          </View>
        ))
      )}
      {addable.length > 0 ? (
        <Field label='添加联办人'>
          <Chips
            options={addable.map((c) => c.staffId)}
            value={adding}
            label={(id) => candidateLabel(addable.find((c) => c.staffId === id)!)}
            onChange={setAdding}
            testId='co-handler-candidates'
          />
          <View className='st-stack'>
            <Button
              type='primary'
              fill='solid'
              block
              disabled={!adding || busy}
              onClick={() => {
                const who = addable.find((c) => c.staffId === adding)
                if (who) void run(() => addCoHandler(ticket.id, who.staffId), `已添加联办人 ${who.name}`)
              }}
              data-testid='co-handler-add'
            >
              添加
            </Button>
          </View>
        </Field>
      ) : null}
      <View className='action-form__error'>
        <ActionError error={error} />
      </View>
      <View className='st-stack'>
        <Button block onClick={onCancel} data-testid='action-cancel'>
          收起
        </Button>
      </View>
    </View>
  )
}

function WaitForm({ ticket, onDone, onCancel }: FormProps) {
  const [question, setQuestion] = useState('')
  const templates = useTemplates(ticket, 'wait')
  const { busy, error, run } = useSubmit(onDone)
  return (
    <Shell
      title='请居民补充'
      lead='写明需要居民补充什么。居民会看到；补充期间暂停计时。'
      error={error}
      busy={busy}
      submitLabel='发给居民'
      canSubmit={question.trim().length > 0}
      onCancel={onCancel}
      onSubmit={() => void run(() => waitForResident(ticket.id, question.trim()), '已请居民补充，计时暂停')}
      testId='form-wait'
    >
      <TemplateChips templates={templates} onPick={setQuestion} testId='wait-templates' />
      <TextField label='需要补充的内容' value={question} onChange={setQuestion} placeholder='例如：请告知漏水的具体房间和时间' testId='wait-question' />
    </Shell>
  )
}

function ResumeForm({ ticket, onDone, onCancel }: FormProps) {
  const [note, setNote] = useState('')
  const { busy, error, run } = useSubmit(onDone)
  return (
    <Shell
      title='继续办理'
      lead='居民已补充或无需再等；计时恢复，等待的时间不计入时限。'
      error={error}
      busy={busy}
      submitLabel='继续办理'
      onCancel={onCancel}
      onSubmit={() => void run(() => resumeRequest(ticket.id, note.trim() || undefined), '已继续办理')}
      testId='form-resume'
    >
      <TextField label='说明' optional value={note} onChange={setNote} placeholder='例如：居民已电话说明情况' testId='resume-note' />
    </Shell>
  )
}

function RejectForm({ ticket, onDone, onCancel }: FormProps) {
  const [reason, setReason] = useState('')
  const templates = useTemplates(ticket, 'reject')
  const { busy, error, run } = useSubmit(onDone)
  return (
    <Shell
      title='不予受理'
      lead='仅用于不属于本系统办理范围的诉求。理由会告知居民，请写清楚可以去哪里办。'
      error={error}
      busy={busy}
      danger
      submitLabel='确认不予受理'
      canSubmit={reason.trim().length > 0}
      onCancel={onCancel}
      onSubmit={() => void run(() => rejectRequest(ticket.id, reason.trim()), '已不予受理')}
      testId='form-reject'
    >
      <TemplateChips templates={templates} onPick={setReason} testId='reject-templates' />
      <TextField label='理由（居民可见）' value={reason} onChange={setReason} placeholder='例如：属于法院诉讼事项，请咨询街道法律服务站' testId='reject-reason' />
    </Shell>
  )
}

/** Open requests the caller can see in the same compound, likeliest duplicates first. */
function mergeCandidates(ticket: TicketView, items: TicketListItem[]): TicketListItem[] {
  const score = (t: TicketListItem) =>
    (t.category === ticket.category ? 2 : 0) + (t.buildingName === ticket.buildingName ? 1 : 0)
  return items
    .filter((t) => t.id !== ticket.id && t.compoundName === ticket.compoundName)
    .sort((a, b) => score(b) - score(a))
}

function MergeForm({ ticket, onDone, onCancel }: FormProps) {
  const found = useResource(`merge-candidates:${ticket.id}`, async () => mergeCandidates(ticket, (await inbox('all', 1, 50)).items), {
    refreshOnShow: false,
  })
  const [into, setInto] = useState<string | null>(null)
  const { busy, error, run } = useSubmit(onDone)
  const target = found.data?.find((c) => c.id === into)
  return (
    <Shell
      title='合并重复诉求'
      lead='这条诉求与另一条是同一件事时使用：这条结束，反映人改为关注另一条的进展。'
      error={error}
      busy={busy}
      submitLabel={target ? `合并到 ${target.number}` : '请选择'}
      canSubmit={Boolean(target)}
      onCancel={onCancel}
      onSubmit={() => void run(() => mergeRequest(ticket.id, { intoId: into! }), `已合并到 ${target?.number ?? ''}`)}
      testId='form-merge'
    >
      <Field>
        <Loaded
          resource={found}
          rows={2}
          isEmpty={(list) => list.length === 0}
          empty={<Nothing title='本小区没有可合并到的未办结诉求' />}
        >
          {(candidates) => (
            <View className='merge-list'>
              {candidates.map((c) => (
                <Button
                  key={c.id}
                  block
                  className='merge-item'
                  type={c.id === into ? 'primary' : 'default'}
                  fill={c.id === into ? 'solid' : 'outline'}
                  aria-checked={c.id === into}
                  onClick={() => setInto(c.id)}
                  data-testid='merge-candidate'
                >
                  {`${c.number} · ${categoryOf(c.category).label} · ${c.buildingName} ${c.unitName}`}
                </Button>
              ))}
            </View>
          )}
        </Loaded>
      </Field>
    </Shell>
  )
}

function NoteForm({ ticket, onDone, onCancel }: FormProps) {
  const [text, setText] = useState('')
  const { busy, error, run } = useSubmit(onDone)
  return (
    <Shell
      title='内部备注'
      lead='只有工作人员能看到，居民看不到。'
      error={error}
      busy={busy}
      submitLabel='保存备注'
      canSubmit={text.trim().length > 0}
      onCancel={onCancel}
      onSubmit={() => void run(() => addNote(ticket.id, text.trim()), '备注已保存')}
      testId='form-note'
    >
      <TextField label='备注' value={text} onChange={setText} placeholder='例如：已电话联系，老人下午在家' testId='note-text' />
    </Shell>
  )
}

const FORMS: Partial<Record<TicketCommand, (props: FormProps) => ReactNode>> = {
  accept: AcceptForm,
  reply: ReplyForm,
  resolve: ResolveForm,
  transfer: TransferForm,
  co_handlers: CoHandlersForm,
  wait: WaitForm,
  resume: ResumeForm,
  reject: RejectForm,
  merge: MergeForm,
  note: NoteForm,
}

/** Whether a command is taken through a form on the handling screen (the others act at once or elsewhere). */
export function hasForm(command: TicketCommand): boolean {
  return command in FORMS
}

export function ActionForm({ command, ...props }: FormProps & { command: TicketCommand }) {
  const Form = FORMS[command]
  return Form ? <Form {...props} /> : null
}
