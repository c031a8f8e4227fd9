import { useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  CATEGORIES,
  HANDLER_ROLES,
  PLACE_KIND_LABELS,
  ROLE_LABELS,
  RoutingRuleInputSchema,
  SEVERITIES,
  SEVERITY_LABELS,
  categoryOf,
  localDateTime,
  type CategoryCode,
  type HandlerRole,
  type PlaceKind,
  type PlaceView,
  type RoutingRuleList,
  type RoutingRuleView,
  type Severity,
} from '@mq/shared'
import { fieldMessage } from '@/api/client'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice, Tag } from '@/ui/parts'
import { Loaded, failureText } from '@/ui/states'
import { resetRoutingRule, routingDryRun, routingRules, setRoutingRule } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { CompoundPicker, useCompounds } from '../../components/compound-picker'
import { DataTable } from '../../components/data-table'
import { Actions, Label, Lead, PageTitle } from '../../components/ui'
import './index.scss'


function rolesText(roles: readonly HandlerRole[]): string {
  return roles.length > 0 ? roles.map((r) => ROLE_LABELS[r]).join('、') : '—'
}

function RuleEditor({
  compoundId,
  rule,
  onSaved,
  onCancel,
}: {
  compoundId: string
  rule: RoutingRuleView
  onSaved: (list: RoutingRuleList, message: string) => void
  onCancel: () => void
}) {
  const [lead, setLead] = useState<HandlerRole>(rule.leadRole)
  const [coRoles, setCoRoles] = useState<HandlerRole[]>([...rule.coRoles])
  const [severity, setSeverity] = useState<Severity>(rule.severity)
  const [invalid, setInvalid] = useState<string | null>(null)
  const change = useMutation((call: () => Promise<RoutingRuleList>) => call())
  const label = rule.categoryLabel || categoryOf(rule.category).label
  const busy = change.busy
  const error = invalid ?? (change.error ? fieldMessage(change.error) : null)

  async function run(call: () => Promise<RoutingRuleList>, message: string): Promise<void> {
    setInvalid(null)
    const list = await change.run(call)
    if (list) onSaved(list, message)
  }

  function save(): void {
    const checked = RoutingRuleInputSchema.safeParse({ leadRole: lead, coRoles, severity })
    if (!checked.success) {
      setInvalid(checked.error.issues[0]?.message ?? '规则有误')
      return
    }
    void run(() => setRoutingRule(compoundId, rule.category, checked.data), `「${label}」的分派规则已保存`)
  }

  function toggleCo(role: HandlerRole): void {
    setCoRoles(coRoles.includes(role) ? coRoles.filter((r) => r !== role) : [...coRoles, role])
  }

  return (
    <Card className='routing-editor' testId='routing-editor' data-category={rule.category} title={`修改「${label}」的分派规则`}>
      <View className='admin-field'>
        <Label>牵头岗位（由谁负责）</Label>
        <Choices
          small
          testId='routing-lead'
          choices={HANDLER_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role], testId: `routing-lead-${role}` }))}
          value={lead}
          onPick={(role) => {
            setLead(role)
            setCoRoles(coRoles.filter((r) => r !== role))
          }}
        />
      </View>
      <View className='admin-field'>
        <Label>联办岗位（可多选，最多 4 个）</Label>
        <Choices
          small
          testId='routing-co'
          choices={HANDLER_ROLES.filter((r) => r !== lead).map((role) => ({ value: role, label: ROLE_LABELS[role], testId: `routing-co-${role}` }))}
          value={coRoles}
          multiple
          onPick={toggleCo}
        />
      </View>
      <View className='admin-field'>
        <Label>难度（决定时限）</Label>
        <Choices
          small
          choices={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s], testId: `routing-severity-${s}` }))}
          value={severity}
          onPick={setSeverity}
        />
      </View>
      {error ? <Notice tone='error' testId='routing-error'>{error}</Notice> : null}
      <Actions>
        <Button type='primary' loading={busy} disabled={busy} onClick={save} data-testid='routing-save'>
          {busy ? '正在保存…' : '保存'}
        </Button>
        {rule.source === 'compound' ? (
          <Button
            disabled={busy}
            onClick={() => void run(() => resetRoutingRule(compoundId, rule.category), `「${label}」已恢复默认规则`)}
            data-testid='routing-reset'
          >
            恢复默认
          </Button>
        ) : null}
        <Button disabled={busy} onClick={onCancel}>
          取消
        </Button>
      </Actions>
    </Card>
  )
}

function unitsOf(places: PlaceView[], compoundId: string): { building: PlaceView; units: PlaceView[] }[] {
  const active = places.filter((p) => !p.retired)
  return active
    .filter((b) => b.kind === 'building' && b.parentId === compoundId)
    .map((building) => ({ building, units: active.filter((u) => u.kind === 'unit' && u.parentId === building.id) }))
    .filter((b) => b.units.length > 0)
}

/** "2026-09-30 17:30" (Shanghai) → ISO 8601 with +08:00; '' → undefined (now); anything else → null. */
function filingTimeOf(text: string): string | undefined | null {
  const trimmed = text.trim()
  if (!trimmed) return undefined
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$/.exec(trimmed)
  if (!m) return null
  const [, y, mo, d, h, mi] = m
  const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}T${h.padStart(2, '0')}:${mi}:00+08:00`
  return Number.isNaN(new Date(iso).getTime()) ? null : iso
}

function DryRun({ compoundId, places }: { compoundId: string; places: PlaceView[] }) {
  const buildings = unitsOf(places, compoundId)
  const [buildingId, setBuildingId] = useState<string | null>(null)
  const [unitId, setUnitId] = useState<string | null>(null)
  const [category, setCategory] = useState<CategoryCode | null>(null)
  // The filing time to try, as admins write it in Shanghai time ("2026-09-30 17:30"); empty: now.
  const [when, setWhen] = useState('')
  const at = filingTimeOf(when)
  const dryRun = useMutation((unit: string, code: CategoryCode, time?: string) => routingDryRun(compoundId, unit, code, time))
  const [result, setResult] = useState<Awaited<ReturnType<typeof routingDryRun>> | null>(null)
  const busy = dryRun.busy
  const building = buildings.find((b) => b.building.id === buildingId) ?? null

  async function run(): Promise<void> {
    if (!unitId || !category) return
    setResult(null)
    if (at === null) return
    const answer = await dryRun.run(unitId, category, at)
    if (answer) setResult(answer)
  }

  const placeLabel = (p: { kind: string; name: string }) => `${PLACE_KIND_LABELS[p.kind as PlaceKind] ?? ''} ${p.name}`.trim()

  return (
    <Card className='routing__dry-run' testId='routing-dry-run' title='试分派'>
      <Lead>选一个单元和一个类别（可填提交时间），看看诉求会派给谁、时限到几时。不会产生任何诉求。</Lead>
      {buildings.length === 0 ? (
        <Text className='mq-muted'>这个小区还没有单元。</Text>
      ) : (
        <>
          <View className='admin-field'>
            <Label>楼栋</Label>
            <Choices
              small
              testId='dry-run-buildings'
              choices={buildings.map(({ building: b }) => ({ value: b.id, label: b.name, testId: 'dry-run-building' }))}
              value={buildingId}
              onPick={(id) => {
                setBuildingId(id)
                setUnitId(null)
                setResult(null)
              }}
            />
          </View>
          {building ? (
            <View className='admin-field'>
              <Label>单元</Label>
              <Choices
                small
                testId='dry-run-units'
                choices={building.units.map((u) => ({ value: u.id, label: u.name, testId: 'dry-run-unit' }))}
                value={unitId}
                onPick={(id) => {
                  setUnitId(id)
                  setResult(null)
                }}
              />
            </View>
          ) : null}
          <View className='admin-field'>
            <Label>类别</Label>
            <Choices
              small
              testId='dry-run-categories'
              choices={CATEGORIES.map((c) => ({ value: c.code, label: c.label, testId: `dry-run-category-${c.code}` }))}
              value={category}
              onPick={(code) => {
                setCategory(code)
                setResult(null)
              }}
            />
          </View>
          <View className='admin-field'>
            <Label>提交时间（可不填）</Label>
            <Input
              className={`admin-input${at === null ? ' admin-input--error' : ''}`}
              value={when}
              placeholder='如 2026-09-30 17:30，不填为现在'
              maxLength={16}
              onChange={(value) => {
                setWhen(value)
                setResult(null)
              }}
              data-testid='dry-run-at'
            />
            {at === null ? (
              <Text className='mq-field-error' data-testid='dry-run-at-error'>
                请按「年-月-日 时:分」填写，如 2026-09-30 17:30
              </Text>
            ) : null}
          </View>
          <Button
            type='primary'
            loading={busy}
            disabled={busy || !unitId || !category || at === null}
            onClick={() => void run()}
            data-testid='dry-run-submit'
          >
            {busy ? '正在计算…' : !unitId || !category ? '请先选单元和类别' : '看看派给谁'}
          </Button>
        </>
      )}
      {dryRun.error && !result ? <Notice tone='error'>{fieldMessage(dryRun.error) || failureText(dryRun.error)}</Notice> : null}
      {result ? (
        <View className='routing__result' data-testid='dry-run-result'>
          <Notice tone='ok'>
            <Text className='mq-notice__title' data-testid='dry-run-handler'>
              {result.handler
                ? `派给：${result.handler.roleLabel || ROLE_LABELS[result.handler.role]} ${result.handler.name}（${placeLabel(result.handler.place)}）`
                : '没有找到处理人'}
            </Text>
            {result.coHandlers.length > 0 ? (
              <Text className='routing__line' data-testid='dry-run-co'>
                {`联办：${result.coHandlers.map((c) => `${c.roleLabel || ROLE_LABELS[c.role]} ${c.name}`).join('、')}`}
              </Text>
            ) : null}
            <Text className='routing__line'>{result.reason}</Text>
          </Notice>
          <Label>分派过程</Label>
          {result.steps.map((step, i) => (
            <Text key={i} className='routing__step' data-testid='dry-run-step'>
              {`${i + 1}. ${step}`}
            </Text>
          ))}
          <Label>{`${localDateTime(result.at)} 提交的时限${result.urgent ? '（紧急）' : ''} · ${SEVERITY_LABELS[result.severity]}`}</Label>
          <Text className='routing__step'>
            {[
              result.deadlines.acceptBy && `受理：${localDateTime(result.deadlines.acceptBy)} 前`,
              result.deadlines.replyBy && `答复：${localDateTime(result.deadlines.replyBy)} 前`,
              result.deadlines.resolveBy && `办结：${localDateTime(result.deadlines.resolveBy)} 前`,
            ]
              .filter(Boolean)
              .join('；')}
          </Text>
        </View>
      ) : null}
    </Card>
  )
}

/** The editor opens above the table: bring it into view from a row further down. */
function scrollToEditor(): void {
  setTimeout(() => {
    if (typeof Taro.pageScrollTo !== 'function') return
    Taro.pageScrollTo({ selector: '.routing-editor', duration: 200 }).catch(() => undefined)
  }, 50)
}

type RuleNotice = { kind: 'ok' | 'error'; text: string } | null

function RulesTable({ compoundId, places }: { compoundId: string; places: PlaceView[] }) {
  const list = useResource(`admin-routing:${compoundId}`, () => routingRules(compoundId))
  const [editing, setEditing] = useState<CategoryCode | null>(null)
  const [notice, setNotice] = useState<RuleNotice>(null)

  const rule = list.data?.items.find((r) => r.category === editing) ?? null

  return (
    <View>
      {notice ? (
        <Notice tone={notice.kind} testId='routing-notice'>
          {notice.text}
        </Notice>
      ) : null}
      {rule ? (
        <RuleEditor
          key={rule.category}
          compoundId={compoundId}
          rule={rule}
          onSaved={(next, message) => {
            list.setData(next)
            setEditing(null)
            setNotice({ kind: 'ok', text: message })
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      <Loaded resource={list}>
        {(rules) => {
          const own = rules.items.filter((r) => r.source === 'compound').length
          return (
            <>
              <Text className='mq-muted admin-count'>
                {own > 0 ? `本小区改了 ${own} 个类别，其余按默认责任清单。` : '全部按默认责任清单分派。'}
              </Text>
              <DataTable
                testId='routing-table'
                compact
                columns={[
                  { key: 'category', title: '类别', fullOnPhone: true },
                  { key: 'lead', title: '牵头岗位' },
                  { key: 'co', title: '联办岗位' },
                  { key: 'severity', title: '难度' },
                  { key: 'source', title: '来源' },
                  { key: 'edit', title: '' },
                ]}
                rows={rules.items.map((r) => ({
                  key: r.category,
                  cells: {
                    category: <Text className='admin-strong'>{r.categoryLabel || categoryOf(r.category).label}</Text>,
                    lead: (
                      <Text>
                        <Text className='routing__prefix'>牵头：</Text>
                        <Text data-testid='routing-row-lead'>{ROLE_LABELS[r.leadRole]}</Text>
                      </Text>
                    ),
                    co: (
                      <Text className={r.coRoles.length === 0 ? 'routing__no-co' : undefined}>
                        <Text className='routing__prefix'>联办：</Text>
                        {rolesText(r.coRoles)}
                      </Text>
                    ),
                    severity: <Text>{SEVERITY_LABELS[r.severity]}</Text>,
                    source:
                      r.source === 'compound' ? (
                        <Tag tone='primary' testId='routing-row-own'>
                          本小区
                        </Tag>
                      ) : (
                        <Tag>默认</Tag>
                      ),
                    edit: (
                      <Button
                        size='small'
                        onClick={() => {
                          setNotice(null)
                          setEditing(editing === r.category ? null : r.category)
                          scrollToEditor()
                        }}
                        data-testid={`routing-edit-${r.category}`}
                      >
                        修改
                      </Button>
                    ),
                  },
                }))}
              />
            </>
          )
        }}
      </Loaded>
      <DryRun compoundId={compoundId} places={places} />
    </View>
  )
}

function RoutingConsole({ initialCompound }: { initialCompound: string | null }) {
  const compounds = useCompounds(initialCompound)
  return (
    <View data-testid='routing'>
      <PageTitle>分派规则</PageTitle>
      <Lead>
        每类诉求由哪个岗位牵头、哪些岗位联办（责任清单）。系统在单元 → 楼栋 → 小区中找这个岗位的人，都没有时交给网格长。
      </Lead>
      <CompoundPicker state={compounds} />
      {compounds.compoundId ? (
        <RulesTable key={compounds.compoundId} compoundId={compounds.compoundId} places={compounds.places.data ?? []} />
      ) : null}
    </View>
  )
}

export function RoutingPage() {
  const { params } = useRouter()
  return <AdminShell active='routing'>{() => <RoutingConsole initialCompound={params.compoundId ?? null} />}</AdminShell>
}

export default RoutingPage
