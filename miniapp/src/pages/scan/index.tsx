import { useEffect, useState, type ReactNode } from 'react'
import { Button, Text, View } from '@tarojs/components'
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
import { ApiError, getScanView, isApiError, toApiError } from '@/api/client'
import { getBuildingOpen } from '@/api/requests'
import { FollowList } from '@/components/follow-list'
import { ResidentPage } from '@/components/resident-page'
import { CAN_SCAN_IN_APP, scanStairwellCode } from '@/utils/scan-code'
import './index.scss'

/** Hotline configured at build time (TARO_APP_HOTLINE); '' when none. */
const HOTLINE = process.env.TARO_APP_HOTLINE ?? ''

type LoadState =
  | { kind: 'loading' }
  | { kind: 'ready'; view: ScanView }
  | { kind: 'failed'; error: ApiError }

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
    <Button className='mq-button mq-button--primary' onClick={() => void scanAgain()}>
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
      <Button className='mq-button' onClick={goMine} data-testid='scan-mine'>
        我反映过的问题
      </Button>
      <Button className='mq-button' onClick={goHome}>
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

function LoadFailed({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const offline = error.code === 'NETWORK_ERROR'
  return (
    <View className='mq-card' data-testid='scan-failed'>
      <Text className='mq-error-title'>{offline ? '网络不太顺畅' : '暂时没有加载出来'}</Text>
      <Text className='mq-text'>
        {offline ? '请检查手机网络后，点下面的按钮再试一次。' : '服务暂时繁忙，请稍后点下面的按钮再试一次。'}
      </Text>
      {error.requestId ? <Text className='mq-muted'>{`错误编号：${error.requestId}`}</Text> : null}
      <Button className='mq-button mq-button--primary' onClick={onRetry} data-testid='scan-retry'>
        重新加载
      </Button>
    </View>
  )
}

type BuildingLoad = { kind: 'loading' } | { kind: 'ready'; items: PublicRequest[] } | { kind: 'failed'; message: string }

/** Categories in the order of the 责任清单, each with its open requests newest first. */
export function groupByCategory(items: readonly PublicRequest[]): { label: string; items: PublicRequest[] }[] {
  return CATEGORIES.map((c) => ({
    label: c.label,
    items: items.filter((i) => i.category === c.code).sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  })).filter((g) => g.items.length > 0)
}

/**
 * Open requests in this building from the last 14 days (all categories in one call, as the public sees
 * them), grouped by category, each with 「我也遇到了」.
 */
function BuildingRequests({ token, count }: { token: string; count: number }) {
  const [attempt, setAttempt] = useState(0)
  const [load, setLoad] = useState<BuildingLoad>({ kind: 'loading' })
  useEffect(() => {
    let current = true
    setLoad({ kind: 'loading' })
    getBuildingOpen(token).then(
      (items) => current && setLoad({ kind: 'ready', items }),
      (error: unknown) => current && setLoad({ kind: 'failed', message: toApiError(error).message }),
    )
    return () => {
      current = false
    }
  }, [token, attempt])
  const groups = load.kind === 'ready' ? groupByCategory(load.items) : []

  return (
    <View className='scan-building' data-testid='scan-building-open'>
      <View className='mq-card'>
        <Text className='mq-subtitle'>{`本楼正在处理的问题：${count}\u00a0件`}</Text>
        <Text className='mq-text'>
          {`近${DUPLICATE_WINDOW_DAYS}天本楼有人反映、还在处理中的问题。如果您遇到的是同一件事，点「我也遇到了」就行。`}
        </Text>
        {load.kind === 'loading' ? <Text className='mq-muted'>正在加载…</Text> : null}
        {load.kind === 'failed' ? (
          <>
            <Text className='mq-muted'>{load.message || '暂时没有加载出来。'}</Text>
            <Button className='mq-button mq-button--small' onClick={() => setAttempt((n) => n + 1)}>
              重新加载
            </Button>
          </>
        ) : null}
        {load.kind === 'ready' && load.items.length === 0 ? (
          <Text className='mq-muted' data-testid='scan-building-empty'>{`近${DUPLICATE_WINDOW_DAYS}天没有新的问题。`}</Text>
        ) : null}
      </View>
      {load.kind === 'ready' && groups.length > 0 ? (
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
        className='mq-button mq-button--primary scan-report'
        onClick={() => goReport(view.token)}
        data-testid='scan-report'
      >
        我要反映问题
      </Button>
      <Button className='mq-button scan-mine' onClick={goMine} data-testid='scan-mine'>
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
          className='mq-button'
          data-testid='scan-board-open'
          onClick={() => void Taro.navigateTo({ url: pageUrl(PAGES.resident.board, { compoundId: view.compound.id }) })}
        >
          查看公示栏
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

  const [attempt, setAttempt] = useState(0)
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' })

  useEffect(() => {
    if (!token) return undefined
    let current = true
    setLoad({ kind: 'loading' })
    getScanView(token).then(
      (view) => {
        if (current) setLoad({ kind: 'ready', view })
      },
      (error: unknown) => {
        if (!current) return
        const apiError = isApiError(error)
          ? error
          : new ApiError('BAD_RESPONSE', error instanceof Error ? error.message : String(error), 0)
        setLoad({ kind: 'failed', error: apiError })
      },
    )
    return () => {
      current = false
    }
  }, [token, attempt])

  let body: ReactNode
  if (!given) {
    body = <NoToken />
  } else if (!token) {
    body = <InvalidCode />
  } else if (load.kind === 'loading') {
    body = (
      <View className='mq-card' data-testid='scan-loading'>
        <Text className='mq-text'>正在查询这个二维码，请稍候…</Text>
      </View>
    )
  } else if (load.kind === 'ready') {
    body = <PlaceView view={load.view} />
  } else {
    const { error } = load
    const kind = failureKind(error)
    if (kind === 'invalid') {
      body = <InvalidCode message={error.code === 'QR_NOT_FOUND' ? error.message : undefined} />
    } else if (kind === 'replaced') {
      body = <ReplacedCode message={error.message} />
    } else {
      body = <LoadFailed error={error} onRetry={() => setAttempt((n) => n + 1)} />
    }
  }

  return (
    <ResidentPage title='民情二维码' testId='scan-page' className='scan'>
      {body}
    </ResidentPage>
  )
}

export default ScanPage
