import { useEffect, useState, type ReactNode } from 'react'
import { Button, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { SERVICE_PROMISE, tokenFromScan, type ScanView } from '@mq/shared'
import { ApiError, getScanView, isApiError } from '@/api/client'
import { ElderModeToggle, elderClass, useElderMode } from '@/elder/elder-mode'
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
  void Taro.navigateTo({ url: '/pages/index/index' })
}

async function scanAgain(): Promise<void> {
  const token = await scanStairwellCode()
  if (token) await Taro.redirectTo({ url: `/pages/scan/index?token=${encodeURIComponent(token)}` })
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

function PlaceView({ view }: { view: ScanView }) {
  return (
    <View data-testid='scan-view'>
      <View className='mq-card' data-testid='scan-place'>
        <Text className='mq-muted'>您所在的位置</Text>
        <Text className='mq-title'>{view.compound.name}</Text>
        <Text className='mq-subtitle'>{`${view.building.name} ${view.unit.name}`}</Text>
      </View>

      <View className='mq-card' data-testid='scan-handlers'>
        <Text className='mq-subtitle'>负责这里的工作人员</Text>
        {view.handlers.length === 0 ? (
          <Text className='mq-muted'>暂无登记的工作人员，问题会由社区统一安排处理。</Text>
        ) : (
          view.handlers.map((handler) => (
            <View key={handler.role} className='scan-handler' data-testid='scan-handler'>
              <Text className='scan-handler__role'>{handler.roleLabel}</Text>
              <Text className='scan-handler__name'>{handler.displayName}</Text>
            </View>
          ))
        )}
      </View>

      <View className='mq-card' data-testid='scan-promise'>
        <Text className='mq-subtitle'>服务承诺</Text>
        <Text className='mq-text'>{view.servicePromise || SERVICE_PROMISE}</Text>
        {view.openInBuilding > 0 ? (
          <Text className='mq-muted'>{`本楼正在处理的问题：${view.openInBuilding} 件`}</Text>
        ) : null}
        {view.hotline ? <Text className='mq-muted'>{`服务热线：${view.hotline}`}</Text> : null}
      </View>

      <Button className='mq-button mq-button--primary scan-report' onClick={goHome} data-testid='scan-report'>
        我要反映问题
      </Button>
    </View>
  )
}

/**
 * The page a stairwell QR code opens. Its token arrives as `token` (H5 links, in-app navigation) or as
 * WeChat's `q` (the whole QR URL, URL-encoded).
 */
export function ScanPage() {
  const { params } = useRouter()
  const token = tokenFromScan({ token: params.token, q: params.q })
  // What to show as "the code you scanned": the extracted token, else whatever token was passed.
  const shownToken = token ?? params.token ?? null
  const given = Boolean(params.token || params.q)

  const { elder } = useElderMode()
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
    <View className={`mq-page scan ${elderClass(elder)}`} data-testid='scan-page'>
      <View className='mq-header'>
        <Text className='mq-header__name'>民情二维码</Text>
        <ElderModeToggle />
      </View>
      {shownToken ? (
        <Text className='mq-muted scan-token' data-testid='scan-token'>
          {`二维码编号：${shownToken}`}
        </Text>
      ) : null}
      {body}
    </View>
  )
}

export default ScanPage
