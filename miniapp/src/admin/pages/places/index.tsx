import { useEffect, useMemo, useRef, useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { PAGES, pageUrl, PLACE_KIND_LABELS, childKind, type PlaceView } from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import { toApiError } from '@/api/client'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Choices, Notice, Tag } from '@/ui/parts'
import { Loaded, Nothing } from '@/ui/states'
import { createPlace, listPlaces, reissueQr, retirePlace, updatePlace } from '../../api'
import { AdminShell } from '../../components/admin-shell'
import { useConfirm } from '../../components/confirm'
import { Actions, Label, Lead, PageTitle } from '../../components/ui'
import { useWide } from '../../components/use-wide'
import { buildTree, countUnder, initiallyExpanded, pathTo, reorderPatches, visibleRows, type TreeNode } from '../../place-tree'
import { SVG_POSTERS, downloadPoster, type PosterTarget } from '../../posters'
import './index.scss'

type Said = { kind: 'ok' | 'error'; text: string } | null

function NoticeLine({ notice }: { notice: Said }) {
  if (!notice) return null
  return (
    <Notice tone={notice.kind} testId='place-notice'>
      {notice.text}
    </Notice>
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
  const [doing, setDoing] = useState<string | null>(null)
  const [notice, setNotice] = useState<Said>(null)
  const { confirm, dialog } = useConfirm()
  // Every action answers with a sentence for the admin (or nothing to say), or the server's reason.
  const change = useMutation(async (action: () => Promise<string | null>): Promise<Said> => {
    try {
      const done = await action()
      return done ? { kind: 'ok', text: done } : null
    } catch (thrown) {
      const error = toApiError(thrown)
      return { kind: 'error', text: error.details[0]?.message ?? error.message }
    }
  })
  const busy = change.busy ? doing : null

  const kindLabel = PLACE_KIND_LABELS[place.kind]
  const nextKind = childKind(place.kind)
  const path = pathTo(places, place.id)
  const ownRoot = me.memberships.some((m) => m.role === 'admin' && m.place.id === place.id)
  const index = siblings.findIndex((p) => p.id === place.id)

  async function run(label: string, action: () => Promise<string | null>): Promise<void> {
    setDoing(label)
    setNotice(null)
    setNotice(await change.run(action) ?? null)
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
    const yes = await confirm({
      title: `停用${kindLabel}「${place.name}」？`,
      content: '停用后，其下所有楼栋、单元一并停用，二维码随即失效（扫码会提示无效）。已有的诉求记录会保留。此操作不能在此撤销。',
      confirmText: '停用',
      danger: true,
    })
    if (!yes) return
    await run('retire', async () => {
      await retirePlace(place.id)
      await reload(place.parentId ?? undefined)
      return null
    })
  }

  const replaceQr = async () => {
    const yes = await confirm({
      title: '更换这个单元的二维码？',
      content: '旧二维码将立即停用，扫描旧海报会提示「此二维码已更换」。请随后打印新海报张贴。',
      confirmText: '更换',
      danger: true,
    })
    if (!yes) return
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
    <Card className='place-detail' testId='place-detail'>
      {dialog}
      <Text className='mq-muted'>{path.map((p) => p.name).join(' / ')}</Text>
      <View className='admin-inline'>
        <Tag tone='primary'>{kindLabel}</Tag>
        {place.retired ? <Tag tone='danger'>已停用</Tag> : null}
      </View>
      <PageTitle testId='place-detail-name'>{place.name}</PageTitle>
      <NoticeLine notice={notice} />

      {place.retired ? (
        <Lead>{`此${kindLabel}已停用，不能再修改；历史诉求仍可查询。`}</Lead>
      ) : (
        <>
          <View className='place-detail__section'>
            <Label>名称</Label>
            <View className='admin-inline'>
              <Input className='admin-input' value={name} maxLength={40} onChange={setName} data-testid='place-rename-input' />
              <Button
                type='primary'
                disabled={busy !== null || !name.trim() || name.trim() === place.name}
                onClick={() => void rename()}
              >
                保存名称
              </Button>
            </View>
          </View>

          {siblings.length > 1 ? (
            <View className='place-detail__section'>
              <Label>排列顺序</Label>
              <View className='admin-inline'>
                <Button disabled={busy !== null || index <= 0} onClick={() => void move(-1)}>
                  上移
                </Button>
                <Button disabled={busy !== null || index < 0 || index >= siblings.length - 1} onClick={() => void move(1)}>
                  下移
                </Button>
                <Text className='mq-muted'>{`第 ${index + 1} / ${siblings.length} 位`}</Text>
              </View>
            </View>
          ) : null}

          {nextKind ? (
            <View className='place-detail__section'>
              <Label>{`添加${PLACE_KIND_LABELS[nextKind]}`}</Label>
              <View className='admin-inline'>
                <Input
                  className='admin-input'
                  value={childName}
                  maxLength={40}
                  placeholder={nextKind === 'building' ? '如：9幢' : nextKind === 'unit' ? '如：3单元' : '名称'}
                  onChange={setChildName}
                  data-testid='place-add-input'
                />
                <Button disabled={busy !== null || !childName.trim()} onClick={() => void addChild()} data-testid='place-add'>
                  添加
                </Button>
              </View>
            </View>
          ) : null}

          {place.kind === 'compound' ? (
            <View className='place-detail__section'>
              <Label>批量设置与打印</Label>
              <Actions>
                <Button onClick={() => openImport('places')} data-testid='place-import'>
                  从 Excel 导入楼栋和单元
                </Button>
                <Button onClick={() => openImport('staff')}>导入本小区人员名单</Button>
                <Button
                  type='primary'
                  loading={busy === 'pdf'}
                  disabled={busy !== null}
                  onClick={() => void download({ kind: 'compound', id: place.id }, 'pdf')}
                  data-testid='place-pdf'
                >
                  {busy === 'pdf' ? '正在生成 PDF…' : '下载全小区二维码海报（PDF）'}
                </Button>
              </Actions>
              <Text className='mq-muted'>PDF 每页一个单元的 A4 海报，按楼栋、单元顺序排列，可直接打印。</Text>
            </View>
          ) : null}

          {place.kind === 'unit' ? (
            <View className='place-detail__section' data-testid='place-qr'>
              <Label>二维码</Label>
              {place.qrToken ? (
                <Text className='admin-mono' data-testid='place-qr-token'>{`编号 ${place.qrToken}`}</Text>
              ) : (
                <Text className='mq-muted'>此单元还没有有效的二维码。</Text>
              )}
              <Actions>
                <Button
                  type='primary'
                  loading={busy === 'png'}
                  disabled={busy !== null || !place.qrToken}
                  onClick={() => void download({ kind: 'unit', id: place.id, format: 'png' }, 'png')}
                  data-testid='place-png'
                >
                  {busy === 'png' ? '正在生成…' : '下载海报（PNG 图片）'}
                </Button>
                {SVG_POSTERS ? (
                  <Button
                    loading={busy === 'svg'}
                    disabled={busy !== null || !place.qrToken}
                    onClick={() => void download({ kind: 'unit', id: place.id, format: 'svg' }, 'svg')}
                  >
                    {busy === 'svg' ? '正在生成…' : '下载海报（SVG 矢量）'}
                  </Button>
                ) : null}
                <Button type='danger' fill='outline' disabled={busy !== null} onClick={() => void replaceQr()} data-testid='place-reissue'>
                  更换二维码
                </Button>
              </Actions>
            </View>
          ) : null}

          {!ownRoot ? (
            <View className='place-detail__section place-detail__danger'>
              <Button type='danger' fill='outline' disabled={busy !== null} onClick={() => void retire()} data-testid='place-retire'>
                {`停用此${kindLabel}`}
              </Button>
            </View>
          ) : null}
        </>
      )}
    </Card>
  )
}

function PlacesConsole({ me }: { me: StaffMe }) {
  const { params } = useRouter()
  const wide = useWide()
  const list = useResource('admin-places', listPlaces)
  const [expanded, setExpanded] = useState<Set<string>>(new Set())
  const [selected, setSelected] = useState<string | null>(params.select ?? null)
  const [showRetired, setShowRetired] = useState(false)

  // The first answer opens the tree's top levels and the way down to a place asked for in the link.
  const places = list.data
  const opened = useRef(false)
  useEffect(() => {
    if (!places || opened.current) return
    opened.current = true
    const open = initiallyExpanded(places)
    const select = params.select
    if (select) for (const p of pathTo(places, select)) if (p.id !== select) open.add(p.id)
    setExpanded(open)
  }, [places, params.select])

  const reload = async (select?: string) => {
    await list.reload()
    if (select) setSelected(select)
  }
  // Keep the selection in view after a change: open its ancestors.
  useEffect(() => {
    if (!places || !selected) return
    setExpanded((open) => {
      const missing = pathTo(places, selected).filter((p) => p.id !== selected && !open.has(p.id))
      if (missing.length === 0) return open
      const next = new Set(open)
      for (const p of missing) next.add(p.id)
      return next
    })
  }, [places, selected])

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

  const toggle = (id: string) =>
    setExpanded((open) => {
      const next = new Set(open)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })

  return (
    <View className='places'>
      <View className='places__head'>
        <View>
          <PageTitle>地点与二维码</PageTitle>
          <Lead>选择小区、楼栋或单元，进行改名、排序、添加、导入、打印海报和更换二维码。</Lead>
        </View>
        <Choices
          small
          multiple
          choices={[{ value: 'retired', label: '显示已停用' }]}
          value={showRetired ? 'retired' : null}
          onPick={() => setShowRetired(!showRetired)}
        />
      </View>
      <Loaded resource={list} rows={8} errorTestId='places-error'>
        {(all) => {
          const siblingsOf = (node: TreeNode): PlaceView[] => {
            const parent = node.place.parentId
            return all
              .filter((p) => p.parentId === parent && !p.retired)
              .sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN'))
          }
          const detail = selectedNode ? (
            <PlaceDetail
              key={selectedNode.place.id}
              me={me}
              places={all}
              node={selectedNode}
              siblings={selectedNode.place.retired ? [] : siblingsOf(selectedNode)}
              reload={reload}
            />
          ) : null
          return (
            <View className='places__layout'>
              <View className='mq-card places__tree' data-testid='place-tree'>
                {rows.length === 0 ? <Nothing title='您的管辖范围内还没有地点。' /> : null}
                {rows.map(({ node, depth }) => {
                  const { place } = node
                  const open = expanded.has(place.id)
                  const isSelected = place.id === selected
                  return (
                    <View key={place.id}>
                      <View
                        className={`place-row${isSelected ? ' place-row--selected' : ''}${place.retired ? ' place-row--retired' : ''}`}
                        style={{ paddingLeft: `${Math.min(depth, 4) * 14}px` }}
                        data-testid='place-row'
                        data-kind={place.kind}
                      >
                        {node.children.length > 0 ? (
                          <Button
                            className='place-row__toggle'
                            fill='none'
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
                          {place.retired ? <Tag tone='danger'>已停用</Tag> : null}
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
                    <Card>
                      <Text className='mq-muted'>在左侧选择一个地点，查看可以进行的操作。</Text>
                    </Card>
                  )}
                </View>
              ) : null}
            </View>
          )
        }}
      </Loaded>
    </View>
  )
}

export function PlacesPage() {
  return <AdminShell active='places'>{(me) => <PlacesConsole me={me} />}</AdminShell>
}

export default PlacesPage
