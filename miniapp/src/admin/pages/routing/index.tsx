import { useCallback, useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
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
  type CategoryCode,
  type HandlerRole,
  type PlaceKind,
  type PlaceView,
  type RoutingDryRun,
  type RoutingRuleList,
  type RoutingRuleView,
  type Severity,
} from '@mq/shared'
import { fieldMessage, toApiError } from '@/api/client'
import { localDateTime } from '@mq/shared'
import { resetRoutingRule, routingDryRun, routingRules, setRoutingRule } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { CompoundPicker, useCompounds } from '../../components/compound-picker'
import { DataTable } from '../../components/data-table'
import './index.scss'

type Notice = { kind: 'ok' | 'error'; text: string } | null

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
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const label = rule.categoryLabel || categoryOf(rule.category).label

  async function run(call: () => Promise<RoutingRuleList>, message: string): Promise<void> {
    setBusy(true)
    setError(null)
    try {
      onSaved(await call(), message)
    } catch (err) {
      const e = toApiError(err)
      setError(fieldMessage(e))
    } finally {
      setBusy(false)
    }
  }

  function save(): void {
    const checked = RoutingRuleInputSchema.safeParse({ leadRole: lead, coRoles, severity })
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? '规则有误')
      return
    }
    void run(() => setRoutingRule(compoundId, rule.category, checked.data), `「${label}」的分派规则已保存`)
  }

  function toggleCo(role: HandlerRole): void {
    setCoRoles(coRoles.includes(role) ? coRoles.filter((r) => r !== role) : [...coRoles, role])
  }

  return (
    <View className='adm-card routing-editor' data-testid='routing-editor' data-category={rule.category}>
      <Text className='adm-h2'>{`修改「${label}」的分派规则`}</Text>
      <View className='adm-field'>
        <Text className='adm-label'>牵头岗位（由谁负责）</Text>
        <View className='adm-chips' data-testid='routing-lead'>
          {HANDLER_ROLES.map((role) => (
            <Button
              key={role}
              className={`adm-chip${role === lead ? ' adm-chip--on' : ''}`}
              aria-pressed={role === lead}
              onClick={() => {
                setLead(role)
                setCoRoles(coRoles.filter((r) => r !== role))
              }}
              data-testid={`routing-lead-${role}`}
            >
              {ROLE_LABELS[role]}
            </Button>
          ))}
        </View>
      </View>
      <View className='adm-field'>
        <Text className='adm-label'>联办岗位（可多选，最多 4 个）</Text>
        <View className='adm-chips' data-testid='routing-co'>
          {HANDLER_ROLES.filter((r) => r !== lead).map((role) => (
            <Button
              key={role}
              className={`adm-chip${coRoles.includes(role) ? ' adm-chip--on' : ''}`}
              aria-pressed={coRoles.includes(role)}
              onClick={() => toggleCo(role)}
              data-testid={`routing-co-${role}`}
            >
              {ROLE_LABELS[role]}
            </Button>
          ))}
        </View>
      </View>
      <View className='adm-field'>
        <Text className='adm-label'>难度（决定时限）</Text>
        <View className='adm-chips'>
          {SEVERITIES.map((s) => (
            <Button
              key={s}
              className={`adm-chip${s === severity ? ' adm-chip--on' : ''}`}
              aria-pressed={s === severity}
              onClick={() => setSeverity(s)}
              data-testid={`routing-severity-${s}`}
            >
              {SEVERITY_LABELS[s]}
            </Button>
          ))}
        </View>
      </View>
      {error ? (
        <Text className='adm-alert adm-alert--error' data-testid='routing-error'>
          {error}
        </Text>
      ) : null}
      <View className='adm-row'>
        <Button className='adm-btn adm-btn--primary' disabled={busy || undefined} onClick={save} data-testid='routing-save'>
          {busy ? '正在保存…' : '保存'}
        </Button>
        {rule.source === 'compound' ? (
          <Button
            className='adm-btn'
            disabled={busy || undefined}
            onClick={() => void run(() => resetRoutingRule(compoundId, rule.category), `「${label}」已恢复默认规则`)}
            data-testid='routing-reset'
          >
            恢复默认
          </Button>
        ) : null}
        <Button className='adm-btn' disabled={busy || undefined} onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  )
}

function unitsOf(places: PlaceView[], compoundId: string): { building: PlaceView; units: PlaceView[] }[] {
  const active = places.filter((p) => !p.retired)
  return active
    .filter((b) => b.kind === 'building' && b.parentId === compoundId)
    .map((building) => ({ building, units: active.filter((u) => u.kind === 'unit' && u.parentId === building.id) }))
    .filter((b) => b.units.length > 0)
}

function DryRun({ compoundId, places }: { compoundId: string; places: PlaceView[] }) {
  const buildings = unitsOf(places, compoundId)
  const [buildingId, setBuildingId] = useState<string | null>(null)
  const [unitId, setUnitId] = useState<string | null>(null)
  const [category, setCategory] = useState<CategoryCode | null>(null)
  const [result, setResult] = useState<RoutingDryRun | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const building = buildings.find((b) => b.building.id === buildingId) ?? null

  async function run(): Promise<void> {
    if (!unitId || !category) return
    setBusy(true)
    setError(null)
    try {
      setResult(await routingDryRun(compoundId, unitId, category))
    } catch (err) {
      setResult(null)
      setError(toApiError(err).message)
    } finally {
      setBusy(false)
    }
  }

  const placeLabel = (p: { kind: string; name: string }) => `${PLACE_KIND_LABELS[p.kind as PlaceKind] ?? ''} ${p.name}`.trim()

  return (
    <View className='adm-card routing__dry-run' data-testid='routing-dry-run'>
      <Text className='adm-h2'>试分派</Text>
      <Text className='adm-muted routing__lead'>选一个单元和一个类别，看看现在提交的诉求会派给谁。不会产生任何诉求。</Text>
      {buildings.length === 0 ? (
        <Text className='adm-muted'>这个小区还没有单元。</Text>
      ) : (
        <>
          <View className='adm-field'>
            <Text className='adm-label'>楼栋</Text>
            <View className='adm-chips' data-testid='dry-run-buildings'>
              {buildings.map(({ building: b }) => (
                <Button
                  key={b.id}
                  className={`adm-chip${b.id === buildingId ? ' adm-chip--on' : ''}`}
                  onClick={() => {
                    setBuildingId(b.id)
                    setUnitId(null)
                    setResult(null)
                  }}
                  data-testid='dry-run-building'
                >
                  {b.name}
                </Button>
              ))}
            </View>
          </View>
          {building ? (
            <View className='adm-field'>
              <Text className='adm-label'>单元</Text>
              <View className='adm-chips' data-testid='dry-run-units'>
                {building.units.map((u) => (
                  <Button
                    key={u.id}
                    className={`adm-chip${u.id === unitId ? ' adm-chip--on' : ''}`}
                    onClick={() => {
                      setUnitId(u.id)
                      setResult(null)
                    }}
                    data-testid='dry-run-unit'
                  >
                    {u.name}
                  </Button>
                ))}
              </View>
            </View>
          ) : null}
          <View className='adm-field'>
            <Text className='adm-label'>类别</Text>
            <View className='adm-chips' data-testid='dry-run-categories'>
              {CATEGORIES.map((c) => (
                <Button
                  key={c.code}
                  className={`adm-chip${c.code === category ? ' adm-chip--on' : ''}`}
                  onClick={() => {
                    setCategory(c.code)
                    setResult(null)
                  }}
                  data-testid={`dry-run-category-${c.code}`}
                >
                  {c.label}
                </Button>
              ))}
            </View>
          </View>
          <Button
            className='adm-btn adm-btn--primary'
            disabled={busy || !unitId || !category || undefined}
            onClick={() => void run()}
            data-testid='dry-run-submit'
          >
            {busy ? '正在计算…' : !unitId || !category ? '请先选单元和类别' : '看看派给谁'}
          </Button>
        </>
      )}
      {error ? <Text className='adm-alert adm-alert--error routing__result'>{error}</Text> : null}
      {result ? (
        <View className='routing__result' data-testid='dry-run-result'>
          <View className='adm-alert adm-alert--ok'>
            <Text className='adm-alert__title' data-testid='dry-run-handler'>
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
          </View>
          <Text className='adm-label'>分派过程</Text>
          {result.steps.map((step, i) => (
            <Text key={i} className='routing__step' data-testid='dry-run-step'>
              {`${i + 1}. ${step}`}
            </Text>
          ))}
          <Text className='adm-label routing__deadlines'>现在提交的时限</Text>
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
    </View>
  )
}

/** The editor opens above the table: bring it into view from a row further down. */
function scrollToEditor(): void {
  setTimeout(() => {
    if (typeof Taro.pageScrollTo !== 'function') return
    Taro.pageScrollTo({ selector: '.routing-editor', duration: 200 }).catch(() => undefined)
  }, 50)
}

function RulesTable({ compoundId, places }: { compoundId: string; places: PlaceView[] }) {
  const [list, setList] = useState<RoutingRuleList | null>(null)
  const [editing, setEditing] = useState<CategoryCode | null>(null)
  const [notice, setNotice] = useState<Notice>(null)

  const load = useCallback(async () => {
    try {
      setList(await routingRules(compoundId))
    } catch (err) {
      setNotice({ kind: 'error', text: `加载失败：${toApiError(err).message}` })
    }
  }, [compoundId])

  useEffect(() => {
    void load()
  }, [load])

  const rule = list?.items.find((r) => r.category === editing) ?? null
  const own = list?.items.filter((r) => r.source === 'compound').length ?? 0

  return (
    <View>
      {notice ? (
        <Text className={`adm-alert adm-alert--${notice.kind}`} data-testid='routing-notice'>
          {notice.text}
        </Text>
      ) : null}
      {rule ? (
        <RuleEditor
          key={rule.category}
          compoundId={compoundId}
          rule={rule}
          onSaved={(next, message) => {
            setList(next)
            setEditing(null)
            setNotice({ kind: 'ok', text: message })
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      {list ? (
        <>
          <Text className='adm-muted routing__count'>
            {own > 0 ? `本小区改了 ${own} 个类别，其余按默认责任清单。` : '全部按默认责任清单分派。'}
          </Text>
          <DataTable
            testId='routing-table'
            compact
            columns={[
              { key: 'category', title: '类别', width: '1.2fr', fullOnPhone: true },
              { key: 'lead', title: '牵头岗位', width: '1fr' },
              { key: 'co', title: '联办岗位', width: '1.3fr' },
              { key: 'severity', title: '难度', width: '90px' },
              { key: 'source', title: '来源', width: '110px' },
              { key: 'edit', title: '', width: '80px' },
            ]}
            rows={list.items.map((r) => ({
              key: r.category,
              cells: {
                category: <Text className='routing__category'>{r.categoryLabel || categoryOf(r.category).label}</Text>,
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
                    <Text className='adm-badge adm-badge--kind' data-testid='routing-row-own'>
                      本小区
                    </Text>
                  ) : (
                    <Text className='adm-badge'>默认</Text>
                  ),
                edit: (
                  <Button
                    className='adm-btn adm-btn--small'
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
      ) : notice ? null : (
        <Text className='adm-empty'>正在加载…</Text>
      )}
      <DryRun compoundId={compoundId} places={places} />
    </View>
  )
}

function RoutingConsole({ initialCompound }: { initialCompound: string | null }) {
  const compounds = useCompounds(initialCompound)
  return (
    <View data-testid='routing'>
      <Text className='adm-h1'>分派规则</Text>
      <Text className='adm-lead'>
        每类诉求由哪个岗位牵头、哪些岗位联办（责任清单）。系统在单元 → 楼栋 → 小区中找这个岗位的人，都没有时交给网格长。
      </Text>
      <CompoundPicker state={compounds} />
      {compounds.compoundId ? (
        <RulesTable key={compounds.compoundId} compoundId={compounds.compoundId} places={compounds.places} />
      ) : null}
    </View>
  )
}

export function RoutingPage() {
  const { params } = useRouter()
  return <AdminShell active='routing'>{() => <RoutingConsole initialCompound={params.compoundId ?? null} />}</AdminShell>
}

export default RoutingPage
