import { useCallback, useEffect, useMemo, useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { PAGES, pageUrl, PLACE_KIND_LABELS, childKind, type PlaceView } from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import { toApiError } from '@/api/client'
import { createPlace, listPlaces, reissueQr, retirePlace, updatePlace } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { useWide } from '../../components/use-wide'
import { buildTree, countUnder, initiallyExpanded, pathTo, reorderPatches, visibleRows, type TreeNode } from '../../place-tree'
import { SVG_POSTERS, downloadPoster, type PosterTarget } from '../../posters'
import './index.scss'

type Notice = { kind: 'ok' | 'error'; text: string } | null

function NoticeLine({ notice }: { notice: Notice }) {
  if (!notice) return null
  return (
    <Text className={`adm-alert adm-alert--${notice.kind}`} data-testid='place-notice'>
      {notice.text}
    </Text>
  )
}

function summary(node: TreeNode): string {
  const { buildings, units } = countUnder(node)
  switch (node.place.kind) {
    case 'compound':
      return `${buildings} 幢 · ${units} 个单元`
    case 'building':
      return `${units} 个单元`
    case 'unit':
      return ''
    default:
      return node.children.length > 0 ? `${node.children.length} 个下级` : ''
  }
}

interface DetailProps {
  me: StaffMe
  places: PlaceView[]
  node: TreeNode
  siblings: PlaceView[]
  reload: (select?: string) => Promise<void>
}

/** What can be done with the selected place: rename, reorder, add below, import, posters, QR, retire. */
function PlaceDetail({ me, places, node, siblings, reload }: DetailProps) {
  const { place } = node
  const [name, setName] = useState(place.name)
  const [childName, setChildName] = useState('')
  const [busy, setBusy] = useState<string | null>(null)
  const [notice, setNotice] = useState<Notice>(null)

  const kindLabel = PLACE_KIND_LABELS[place.kind]
  const nextKind = childKind(place.kind)
  const path = pathTo(places, place.id)
  const ownRoot = me.memberships.some((m) => m.role === 'admin' && m.place.id === place.id)
  const index = siblings.findIndex((p) => p.id === place.id)

  async function run(label: string, action: () => Promise<string | null>): Promise<void> {
    setBusy(label)
    setNotice(null)
    try {
      const done = await action()
      if (done) setNotice({ kind: 'ok', text: done })
    } catch (error) {
      const apiError = toApiError(error)
      setNotice({ kind: 'error', text: apiError.details[0]?.message ?? apiError.message })
    } finally {
      setBusy(null)
    }
  }

  const rename = () =>
    run('rename', async () => {
      await updatePlace(place.id, { name: name.trim() })
      await reload(place.id)
      return '名称已保存'
    })

  const move = (step: -1 | 1) =>
    run('move', async () => {
      for (const patch of reorderPatches(siblings, place.id, step)) {
        await updatePlace(patch.id, { sortOrder: patch.sortOrder })
      }
      await reload(place.id)
      return null
    })

  const addChild = () =>
    run('add', async () => {
      const created = await createPlace({ parentId: place.id, name: childName.trim() })
      setChildName('')
      await reload(place.id)
      return `已添加${PLACE_KIND_LABELS[created.kind]}「${created.name}」`
    })

  const retire = async () => {
    const { confirm } = await Taro.showModal({
      title: `停用${kindLabel}「${place.name}」？`,
      content: '停用后，其下所有楼栋、单元一并停用，二维码随即失效（扫码会提示无效）。已有的诉求记录会保留。此操作不能在此撤销。',
      confirmText: '停用',
      confirmColor: '#b3261e',
      cancelText: '取消',
    })
    if (!confirm) return
    await run('retire', async () => {
      await retirePlace(place.id)
      await reload(place.parentId ?? undefined)
      return null
    })
  }

  const replaceQr = async () => {
    const { confirm } = await Taro.showModal({
      title: '更换这个单元的二维码？',
      content: '旧二维码将立即停用，扫描旧海报会提示「此二维码已更换」。请随后打印新海报张贴。',
      confirmText: '更换',
      confirmColor: '#b3261e',
      cancelText: '取消',
    })
    if (!confirm) return
    await run('qr', async () => {
      const result = await reissueQr(place.id)
      await reload(place.id)
      return `已生成新二维码：${result.token}。请下载新海报并替换楼道里的旧海报。`
    })
  }

  const download = (target: PosterTarget, label: string) =>
    run(label, async () => {
      const filename = await downloadPoster(target)
      return process.env.TARO_ENV === 'h5' ? `已下载：${filename}` : null
    })

  const openImport = (type: 'places' | 'staff') =>
    void Taro.navigateTo({ url: pageUrl(PAGES.admin.import, { type, placeId: place.id }) })

  return (
    <View className='adm-card place-detail' data-testid='place-detail'>
      <Text className='adm-muted place-detail__path'>{path.map((p) => p.name).join(' / ')}</Text>
      <View className='adm-row'>
        <Text className='adm-badge adm-badge--kind'>{kindLabel}</Text>
        {place.retired ? <Text className='adm-badge adm-badge--danger'>已停用</Text> : null}
      </View>
      <Text className='adm-h1' data-testid='place-detail-name'>
        {place.name}
      </Text>
      <NoticeLine notice={notice} />

      {place.retired ? (
        <Text className='adm-lead'>此{kindLabel}已停用，不能再修改；历史诉求仍可查询。</Text>
      ) : (
        <>
          <View className='place-detail__section'>
            <Text className='adm-label'>名称</Text>
            <View className='adm-row'>
              <Input
                className='adm-input adm-input--grow'
                value={name}
                maxlength={40}
                onInput={(e) => setName(e.detail.value)}
                data-testid='place-rename-input'
              />
              <Button
                className='adm-btn adm-btn--primary'
                disabled={busy !== null || !name.trim() || name.trim() === place.name || undefined}
                onClick={() => void rename()}
              >
                保存名称
              </Button>
            </View>
          </View>

          {siblings.length > 1 ? (
            <View className='place-detail__section'>
              <Text className='adm-label'>排列顺序</Text>
              <View className='adm-row'>
                <Button className='adm-btn' disabled={busy !== null || index <= 0 || undefined} onClick={() => void move(-1)}>
                  上移
                </Button>
                <Button
                  className='adm-btn'
                  disabled={busy !== null || index < 0 || index >= siblings.length - 1 || undefined}
                  onClick={() => void move(1)}
                >
                  下移
                </Button>
                <Text className='adm-muted'>{`第 ${index + 1} / ${siblings.length} 位`}</Text>
              </View>
            </View>
          ) : null}

          {nextKind ? (
            <View className='place-detail__section'>
              <Text className='adm-label'>{`添加${PLACE_KIND_LABELS[nextKind]}`}</Text>
              <View className='adm-row'>
                <Input
                  className='adm-input adm-input--grow'
                  value={childName}
                  maxlength={40}
                  placeholder={nextKind === 'building' ? '如：9幢' : nextKind === 'unit' ? '如：3单元' : '名称'}
                  onInput={(e) => setChildName(e.detail.value)}
                  data-testid='place-add-input'
                />
                <Button
                  className='adm-btn'
                  disabled={busy !== null || !childName.trim() || undefined}
                  onClick={() => void addChild()}
                  data-testid='place-add'
                >
                  添加
                </Button>
              </View>
            </View>
          ) : null}

          {place.kind === 'compound' ? (
            <View className='place-detail__section'>
              <Text className='adm-label'>批量设置与打印</Text>
              <View className='place-detail__actions'>
                <Button className='adm-btn' onClick={() => openImport('places')} data-testid='place-import'>
                  从 Excel 导入楼栋和单元
                </Button>
                <Button className='adm-btn' onClick={() => openImport('staff')}>
                  导入本小区人员名单
                </Button>
                <Button
                  className='adm-btn adm-btn--primary'
                  disabled={busy !== null || undefined}
                  onClick={() => void download({ kind: 'compound', id: place.id }, 'pdf')}
                  data-testid='place-pdf'
                >
                  {busy === 'pdf' ? '正在生成 PDF…' : '下载全小区二维码海报（PDF）'}
                </Button>
              </View>
              <Text className='adm-muted'>PDF 每页一个单元的 A4 海报，按楼栋、单元顺序排列，可直接打印。</Text>
            </View>
          ) : null}

          {place.kind === 'unit' ? (
            <View className='place-detail__section' data-testid='place-qr'>
              <Text className='adm-label'>二维码</Text>
              {place.qrToken ? (
                <Text className='adm-mono' data-testid='place-qr-token'>{`编号 ${place.qrToken}`}</Text>
              ) : (
                <Text className='adm-muted'>此单元还没有有效的二维码。</Text>
              )}
              <View className='place-detail__actions'>
                <Button
                  className='adm-btn adm-btn--primary'
                  disabled={busy !== null || !place.qrToken || undefined}
                  onClick={() => void download({ kind: 'unit', id: place.id, format: 'png' }, 'png')}
                  data-testid='place-png'
                >
                  {busy === 'png' ? '正在生成…' : '下载海报（PNG 图片）'}
                </Button>
                {SVG_POSTERS ? (
                  <Button
                    className='adm-btn'
                    disabled={busy !== null || !place.qrToken || undefined}
                    onClick={() => void download({ kind: 'unit', id: place.id, format: 'svg' }, 'svg')}
                  >
                    {busy === 'svg' ? '正在生成…' : '下载海报（SVG 矢量）'}
                  </Button>
                ) : null}
                <Button
                  className='adm-btn adm-btn--danger'
                  disabled={busy !== null || undefined}
                  onClick={() => void replaceQr()}
                  data-testid='place-reissue'
                >
                  更换二维码
                </Button>
              </View>
            </View>
          ) : null}

          {!ownRoot ? (
            <View className='place-detail__section place-detail__danger'>
              <Button
                className='adm-btn adm-btn--danger'
                disabled={busy !== null || undefined}
                onClick={() => void retire()}
                data-testid='place-retire'
              >
                {`停用此${kindLabel}`}
              </Button>
            </View>
          ) : null}
        </>
      )}
    </View>
  )
}

function PlacesConsole({ me }: { me: StaffMe }) {
  const { params } = useRouter()
  const wide = useWide()
  const [places, setPlaces] = useState<PlaceView[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [expanded, setExpanded] = useState<Set<string>>(new Set())
  const [selected, setSelected] = useState<string | null>(params.select ?? null)
  const [showRetired, setShowRetired] = useState(false)

  const reload = useCallback(async (select?: string) => {
    const list = await listPlaces()
    setPlaces(list)
    setLoadError(null)
    if (select) {
      setSelected(select)
      // Keep the selection in view: open its ancestors.
      setExpanded((open) => {
        const next = new Set(open)
        for (const p of pathTo(list, select)) if (p.id !== select) next.add(p.id)
        return next
      })
    }
  }, [])

  useEffect(() => {
    listPlaces().then(
      (list) => {
        setPlaces(list)
        const open = initiallyExpanded(list)
        const select = params.select
        if (select) for (const p of pathTo(list, select)) if (p.id !== select) open.add(p.id)
        setExpanded(open)
      },
      (error: unknown) => setLoadError(toApiError(error).message),
    )
  }, [params.select])

  const roots = useMemo(() => (places ? buildTree(places, showRetired) : []), [places, showRetired])
  const rows = useMemo(() => visibleRows(roots, expanded), [roots, expanded])
  const selectedNode = useMemo(() => {
    const find = (nodes: TreeNode[]): TreeNode | null => {
      for (const n of nodes) {
        if (n.place.id === selected) return n
        const inner = find(n.children)
        if (inner) return inner
      }
      return null
    }
    return selected ? find(roots) : null
  }, [roots, selected])

  if (loadError) {
    return (
      <View className='adm-alert adm-alert--error' data-testid='places-error'>
        <Text className='adm-alert__title'>地点列表加载失败</Text>
        <Text>{loadError}</Text>
      </View>
    )
  }
  if (!places) return <Text className='adm-empty'>正在加载…</Text>

  const toggle = (id: string) =>
    setExpanded((open) => {
      const next = new Set(open)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })

  const siblingsOf = (node: TreeNode): PlaceView[] => {
    const parent = node.place.parentId
    return places.filter((p) => p.parentId === parent && !p.retired).sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN'))
  }

  const detail = selectedNode ? (
    <PlaceDetail
      key={selectedNode.place.id}
      me={me}
      places={places}
      node={selectedNode}
      siblings={selectedNode.place.retired ? [] : siblingsOf(selectedNode)}
      reload={reload}
    />
  ) : null

  return (
    <View className='places'>
      <View className='places__head'>
        <View>
          <Text className='adm-h1'>地点与二维码</Text>
          <Text className='adm-lead'>选择小区、楼栋或单元，进行改名、排序、添加、导入、打印海报和更换二维码。</Text>
        </View>
        <Button
          className={`adm-chip${showRetired ? ' adm-chip--on' : ''}`}
          onClick={() => setShowRetired(!showRetired)}
          aria-pressed={showRetired}
        >
          显示已停用
        </Button>
      </View>
      <View className='places__layout'>
        <View className='places__tree adm-card' data-testid='place-tree'>
          {rows.length === 0 ? <Text className='adm-empty'>您的管辖范围内还没有地点。</Text> : null}
          {rows.map(({ node, depth }) => {
            const { place } = node
            const open = expanded.has(place.id)
            const isSelected = place.id === selected
            return (
              <View key={place.id}>
                <View
                  className={`place-row${isSelected ? ' place-row--selected' : ''}${place.retired ? ' place-row--retired' : ''}`}
                  style={{ paddingLeft: `${depth * 18}px` }}
                  data-testid='place-row'
                  data-kind={place.kind}
                >
                  {node.children.length > 0 ? (
                    <Button
                      className='place-row__toggle'
                      onClick={() => toggle(place.id)}
                      aria-expanded={open}
                      aria-label={open ? `收起${place.name}` : `展开${place.name}`}
                    >
                      {open ? '▾' : '▸'}
                    </Button>
                  ) : (
                    <View className='place-row__toggle place-row__toggle--leaf' />
                  )}
                  <View className='place-row__main' onClick={() => setSelected(isSelected ? null : place.id)}>
                    <Text className='place-row__kind'>{PLACE_KIND_LABELS[place.kind]}</Text>
                    <Text className='place-row__name' data-testid='place-row-name'>
                      {place.name}
                    </Text>
                    {place.retired ? <Text className='adm-badge adm-badge--danger'>已停用</Text> : null}
                    <Text className='place-row__summary'>{summary(node)}</Text>
                  </View>
                </View>
                {!wide && isSelected ? <View className='places__inline-detail'>{detail}</View> : null}
              </View>
            )
          })}
        </View>
        {wide ? (
          <View className='places__side'>
            {detail ?? (
              <View className='adm-card'>
                <Text className='adm-muted'>在左侧选择一个地点，查看可以进行的操作。</Text>
              </View>
            )}
          </View>
        ) : null}
      </View>
    </View>
  )
}

export function PlacesPage() {
  return <AdminShell active='places'>{(me) => <PlacesConsole me={me} />}</AdminShell>
}

export default PlacesPage
