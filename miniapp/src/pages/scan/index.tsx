import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  PAGES, pageUrl,
  CATEGORIES,
  DUPLICATE_WINDOW_DAYS,
  SERVICE_PROMISE,
  tokenFromScan,
  type HandlerRole,
  type PublicRequest,
  type ScanView,
} from '@mq/shared'
import { getScanView, takeInlineScanView, type ApiError } from '@/api/client'
import { getBuildingOpen } from '@/api/requests'
import { FollowList } from '@/components/follow-list'
import { ResidentPage } from '@/components/resident-page'
import { useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Loading, LoadFailed, failureText } from '@/ui/states'
import { CAN_SCAN_IN_APP, scanStairwellCode } from '@/utils/scan-code'
import './index.scss'

/** Hotline configured at build time (TARO_APP_HOTLINE); '' when none. */
const HOTLINE = process.env.TARO_APP_HOTLINE ?? ''

/** How the page reacts to a failure: retrying helps only when the code itself is fine. */
type FailureKind = 'invalid' | 'replaced' | 'retry'

function failureKind(error: ApiError): FailureKind {
  switch (error.code) {
    case 'QR_NOT_FOUND':
    case 'VALIDATION_FAILED': // malformed token
    case 'PLACE_NOT_FOUND': // the unit behind the code was retired
      return 'invalid'
    case 'QR_REPLACED':
      return 'replaced'
    default:
      return 'retry'
  }
}

function goHome(): void {
  void Taro.navigateTo({ url: pageUrl(PAGES.resident.index) })
}

function goMine(): void {
  void Taro.navigateTo({ url: pageUrl(PAGES.resident.mine) })
}

function goReport(token: string): void {
  void Taro.navigateTo({ url: pageUrl(PAGES.resident.report, { token }) })
}

/** The categories each role leads by default (责任清单), to say who handles what. */
function categoriesLedBy(role: HandlerRole): string[] {
  return CATEGORIES.filter((c) => c.leadRole === role).map((c) => c.label)
}

async function scanAgain(): Promise<void> {
  const token = await scanStairwellCode()
  if (token) await Taro.redirectTo({ url: pageUrl(PAGES.resident.scan, { token }) })
}

function HotlineHint() {
  return (
    <Text className='mq-muted' data-testid='scan-hotline'>
      {HOTLINE ? `如需帮助，请拨打服务热线 ${HOTLINE}` : '如需帮助，请联系您的楼道长或社区工作人员。'}
    </Text>
  )
}

function ScanAgainButton() {
  if (!CAN_SCAN_IN_APP) return null
  return (
    <Button type='primary' size='large' block className='mq-action' onClick={() => void scanAgain()}>
      扫一扫楼道二维码
    </Button>
  )
}

function NoToken() {
  return (
    <View data-testid='scan-missing'>
      <View className='mq-card'>
        <Text className='mq-title'>请扫描楼道里的二维码</Text>
        <Text className='mq-text'>
          用微信「扫一扫」，对准您家楼道（单元门口）张贴的「民情二维码」，就能把问题直接告诉负责您这栋楼的工作人员。
        </Text>
      </View>
      <ScanAgainButton />
      <Button size='large' block className='mq-action' onClick={goMine} data-testid='scan-mine'>
        我反映过的问题
      </Button>
      <Button size='large' block className='mq-action' onClick={goHome}>
        查看使用说明
      </Button>
    </View>
  )
}

function InvalidCode({ message }: { message?: string }) {
  return (
    <View className='mq-card' data-testid='scan-invalid'>
      <Text className='mq-error-title'>二维码无效</Text>
      <Text className='mq-text'>{message || '这个二维码无法识别，请扫描楼道里张贴的「民情二维码」。'}</Text>
      <HotlineHint />
      <ScanAgainButton />
    </View>
  )
}

function ReplacedCode({ message }: { message: string }) {
  return (
    <View className='mq-card' data-testid='scan-replaced'>
      <Text className='mq-error-title'>此二维码已更换</Text>
      {message ? (
        <Text className='mq-text'>{message}</Text>
      ) : (
        <>
          <Text className='mq-text'>请扫描楼道里新张贴的二维码。</Text>
          <HotlineHint />
        </>
      )}
      <ScanAgainButton />
    </View>
  )
}

/** Categories in the order of the 责任清单, each with its open requests newest first. */
export function groupByCategory(items: readonly PublicRequest[]): { label: string; items: PublicRequest[] }[] {
  return CATEGORIES.map((c) => ({
    label: c.label,
    items: items.filter((i) => i.category === c.code).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  })).filter((g) => g.items.length > 0)
}

/** A code that does not lead anywhere, one that was replaced, or a failure worth retrying. */
function ScanFailed({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  switch (failureKind(error)) {
    case 'invalid':
      return <InvalidCode message={error.code === 'QR_NOT_FOUND' ? error.message : undefined} />
    case 'replaced':
      return <ReplacedCode message={error.message} />
    case 'retry':
      return <LoadFailed error={error} onRetry={onRetry} testId='scan-failed' />
  }
}

/**
 * Open requests in this building from the last 14 days (all categories in one call, as the public sees
 * them), grouped by category, each with 「我也遇到了」.
 */
function BuildingRequests({ token, count }: { token: string; count: number }) {
  const open = useResource(`building-open:${token}`, () => getBuildingOpen(token), { refreshOnShow: false })
  const items = open.data
  const groups = items ? groupByCategory(items) : []

  return (
    <View className='scan-building' data-testid='scan-building-open'>
      <View className='mq-card'>
        <Text className='mq-subtitle'>{`本楼正在处理的问题：${count}\u00a0件`}</Text>
        <Text className='mq-text'>
          {`近${DUPLICATE_WINDOW_DAYS}天本楼有人反映、还在处理中的问题。如果您遇到的是同一件事，点「我也遇到了」就行。`}
        </Text>
        {!items && !open.error ? <Loading rows={2} testId='scan-building-loading' /> : null}
        {!items && open.error ? (
          <>
            <Text className='mq-muted'>{failureText(open.error)}</Text>
            <Button block className='mq-action' onClick={() => void open.reload()}>
              重新加载
            </Button>
          </>
        ) : null}
        {items && items.length === 0 ? (
          <Text className='mq-muted' data-testid='scan-building-empty'>{`近${DUPLICATE_WINDOW_DAYS}天没有新的问题。`}</Text>
        ) : null}
      </View>
      {groups.length > 0 && items ? (
        <>
          <Text className='mq-muted scan-building__kinds' data-testid='scan-building-kinds'>
            {groups.map((g) => `${g.label}\u00a0${g.items.length}\u00a0件`).join(' · ')}
          </Text>
          <FollowList items={groups.flatMap((g) => g.items)} token={token} testId='scan-building-list' />
        </>
      ) : null}
    </View>
  )
}

function PlaceView({ view }: { view: ScanView }) {
  return (
    <View data-testid='scan-view'>
      <View className='mq-card' data-testid='scan-place'>
        <Text className='mq-muted'>您所在的位置</Text>
        <Text className='mq-title'>{view.compound.name}</Text>
        <Text className='mq-subtitle'>{`${view.building.name} · ${view.unit.name}`}</Text>
      </View>

      <Button
        type='primary'
        size='large'
        block
        className='scan-report'
        onClick={() => goReport(view.token)}
        data-testid='scan-report'
      >
        我要反映问题
      </Button>
      <Button size='large' block className='scan-mine' onClick={goMine} data-testid='scan-mine'>
        我反映过的问题
      </Button>

      <View className='mq-card scan-promise' data-testid='scan-promise'>
        <Text className='mq-subtitle'>服务承诺</Text>
        <Text className='mq-text'>{view.servicePromise || SERVICE_PROMISE}</Text>
        {view.hotline ? <Text className='mq-muted'>{`服务热线：${view.hotline}`}</Text> : null}
      </View>

      {view.openInBuilding > 0 ? <BuildingRequests token={view.token} count={view.openInBuilding} /> : null}

      <View className='mq-card' data-testid='scan-handlers'>
        <Text className='mq-subtitle'>谁来处理</Text>
        {view.handlers.length === 0 ? (
          <Text className='mq-muted'>暂无登记的工作人员，问题会由社区统一安排处理。</Text>
        ) : (
          view.handlers.map((handler) => {
            const leads = categoriesLedBy(handler.role)
            return (
              <View key={handler.role} className='scan-handler' data-testid='scan-handler'>
                <View className='scan-handler__who'>
                  <Text className='scan-handler__role'>{handler.roleLabel}</Text>
                  <Text className='scan-handler__name'>{handler.displayName}</Text>
                </View>
                {leads.length > 0 ? (
                  <Text className='scan-handler__what' data-testid='scan-handler-what'>{`负责：${leads.join('、')}`}</Text>
                ) : null}
              </View>
            )
          })
        )}
      </View>

      <View className='mq-card scan-board' data-testid='scan-board'>
        <Text className='mq-subtitle'>{`${view.compound.name}公示栏`}</Text>
        <Text className='mq-text'>小区收到、办结了哪些问题，按时办好了多少，居民满意度如何，都在这里公开。</Text>
        <Button
          block
          className='mq-action'
          data-testid='scan-board-open'
          onClick={() => void Taro.navigateTo({ url: pageUrl(PAGES.resident.board, { compoundId: view.compound.id }) })}
        >
          查看公示栏
        </Button>
      </View>

      <View className='mq-card' data-testid='scan-needs'>
        <Text className='mq-subtitle'>居民需求</Text>
        <Text className='mq-text'>希望小区增加什么？比如助餐、车棚、充电桩。</Text>
        <Button
          block
          className='mq-action'
          data-testid='scan-needs-open'
          onClick={() => void Taro.navigateTo({ url: pageUrl(PAGES.resident.needs, { compoundId: view.compound.id, token: view.token }) })}
        >
          提个需求 · 看看大家的需求
        </Button>
      </View>
    </View>
  )
}

/**
 * The page a stairwell QR code opens. Its token arrives as `token` (H5 links, in-app navigation) or as
 * WeChat's `q` (the whole QR URL, URL-encoded).
 */
export function ScanPage() {
  const { params } = useRouter()
  // The token only finds the place; residents see the place in words, never the code's id.
  const token = tokenFromScan({ token: params.token, q: params.q })
  const given = Boolean(params.token || params.q)

  // What a code shows changes only when an admin replaces it: no reload each time the page is shown. A QR
  // URL's page carries the view (H5): the first render shows the place, not a loading card.
  const scan = useResource(token ? `scan:${token}` : null, () => getScanView(token!), {
    refreshOnShow: false,
    initial: () => (token ? takeInlineScanView(token) : undefined),
  })

  let body: ReactNode
  if (!given) {
    body = <NoToken />
  } else if (!token) {
    body = <InvalidCode />
  } else if (scan.data) {
    body = <PlaceView view={scan.data} />
  } else if (scan.error) {
    body = <ScanFailed error={scan.error} onRetry={() => void scan.reload()} />
  } else {
    body = (
      <View className='mq-card' data-testid='scan-loading'>
        <Text className='mq-text'>正在查询这个二维码，请稍候…</Text>
      </View>
    )
  }

  return (
    <ResidentPage title='民情二维码' testId='scan-page' className='scan'>
      {body}
    </ResidentPage>
  )
}

export default ScanPage
