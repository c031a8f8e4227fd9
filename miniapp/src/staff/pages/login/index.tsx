import { useEffect, useState } from 'react'
import { Button, Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { MOBILE_PATTERN } from '@mq/shared'
import { fetchStaffMe, homePageFor, staffLogin, storedStaff, takeLoginNotice } from '@/api/auth'
import { toApiError, type ApiError } from '@/api/client'
import { localClock } from '@mq/shared'
import './index.scss'

/** When a locked account opens again, from the server's Retry-After (seconds). */
function unlockTime(error: ApiError, now: number): number | null {
  return error.retryAfter === null ? null : now + error.retryAfter * 1000
}


type Failure =
  | { kind: 'invalid'; message: string }
  | { kind: 'locked'; message: string; until: number | null }
  | { kind: 'other'; message: string; requestId: string | null }

function failureOf(error: ApiError): Failure {
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      return { kind: 'invalid', message: error.message || '手机号或密码不正确' }
    case 'ACCOUNT_LOCKED':
      return { kind: 'locked', message: error.message, until: unlockTime(error, Date.now()) }
    case 'ACCOUNT_DISABLED':
      return { kind: 'other', message: error.message || '该账号已停用，请联系社区管理员', requestId: null }
    case 'NETWORK_ERROR':
      return { kind: 'other', message: '网络连接失败，请检查网络后重试', requestId: null }
    case 'VALIDATION_FAILED':
      return { kind: 'other', message: error.details[0]?.message ?? error.message, requestId: null }
    default:
      return { kind: 'other', message: error.message || '登录失败，请稍后再试', requestId: error.requestId }
  }
}

/** Ticks every few seconds while an account is locked, so the countdown and the button follow. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return undefined
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 5000)
    return () => clearInterval(timer)
  }, [active])
  return now
}

function LockedNotice({ failure, now }: { failure: Extract<Failure, { kind: 'locked' }>; now: number }) {
  const minutes = failure.until === null ? null : Math.max(1, Math.ceil((failure.until - now) / 60_000))
  return (
    <View className='staff-login__alert staff-login__alert--locked' data-testid='login-locked'>
      <Text className='staff-login__alert-title'>账号已暂时锁定</Text>
      {failure.until !== null ? (
        <Text className='staff-login__alert-text' data-testid='login-unlock-at'>
          {`密码连续输错次数过多。请在 ${localClock(failure.until)} 后再试（还有约 ${minutes} 分钟）。`}
        </Text>
      ) : (
        <Text className='staff-login__alert-text'>{failure.message}</Text>
      )}
      <Text className='staff-login__alert-text'>如果忘记了密码，请联系社区管理员重置，重置后可立即登录。</Text>
    </View>
  )
}

/** Staff login: phone + password, in large type; admins go on to the console, everyone else to their home. */
export function StaffLoginPage() {
  const [phone, setPhone] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<Failure | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [fieldError, setFieldError] = useState<string | null>(null)

  const locked = failure?.kind === 'locked' && failure.until !== null ? failure : null
  const now = useNow(locked !== null)
  const stillLocked = locked !== null && locked.until !== null && locked.until > now

  useEffect(() => {
    setNotice(takeLoginNotice())
    // Already logged in (the session survives restarts): check it is still good, then go on.
    if (!storedStaff()) return undefined
    let current = true
    fetchStaffMe().then(
      (me) => {
        if (current) void Taro.redirectTo({ url: homePageFor(me) })
      },
      () => {
        // Ended sessions were cleared by the client; offline, the form stays.
      },
    )
    return () => {
      current = false
    }
  }, [])

  useEffect(() => {
    // The lock ran out: let them try again without a stale warning.
    if (locked && !stillLocked) setFailure(null)
  }, [locked, stillLocked])

  async function submit(): Promise<void> {
    const trimmed = phone.trim()
    if (!MOBILE_PATTERN.test(trimmed)) {
      setFieldError('请输入11位手机号')
      return
    }
    if (!password) {
      setFieldError('请输入密码')
      return
    }
    setFieldError(null)
    setFailure(null)
    setNotice(null)
    setBusy(true)
    try {
      const me = await staffLogin(trimmed, password)
      await Taro.redirectTo({ url: homePageFor(me) })
    } catch (error) {
      setFailure(failureOf(toApiError(error)))
      setPassword('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='staff-login'>
      <View className='staff-login__card'>
        <Text className='staff-login__brand'>民情二维码</Text>
        <Text className='staff-login__title'>工作人员登录</Text>
        <Text className='staff-login__lead'>网格长、物业、社区管理员等工作人员使用</Text>

        {notice ? (
          <View className='staff-login__alert staff-login__alert--notice' data-testid='login-notice'>
            <Text className='staff-login__alert-text'>{notice}</Text>
          </View>
        ) : null}

        <View className='staff-login__field'>
          <Text className='staff-login__label'>手机号</Text>
          <Input
            className='staff-login__input'
            type='number'
            maxlength={11}
            placeholder='请输入手机号'
            value={phone}
            onInput={(e) => setPhone(e.detail.value)}
            data-testid='login-phone'
          />
        </View>
        <View className='staff-login__field'>
          <Text className='staff-login__label'>密码</Text>
          <Input
            className='staff-login__input'
            password
            maxlength={128}
            placeholder='请输入密码'
            value={password}
            onInput={(e) => setPassword(e.detail.value)}
            onConfirm={() => void submit()}
            data-testid='login-password'
          />
        </View>

        {fieldError ? (
          <Text className='staff-login__field-error' data-testid='login-field-error'>
            {fieldError}
          </Text>
        ) : null}

        {failure?.kind === 'invalid' ? (
          <View className='staff-login__alert staff-login__alert--error' data-testid='login-error'>
            <Text className='staff-login__alert-text'>{failure.message}</Text>
            <Text className='staff-login__alert-text'>连续输错 5 次，账号将锁定 15 分钟。</Text>
          </View>
        ) : null}
        {failure?.kind === 'locked' ? <LockedNotice failure={failure} now={now} /> : null}
        {failure?.kind === 'other' ? (
          <View className='staff-login__alert staff-login__alert--error' data-testid='login-error'>
            <Text className='staff-login__alert-text'>{failure.message}</Text>
            {failure.requestId ? <Text className='staff-login__hint'>{`错误编号：${failure.requestId}`}</Text> : null}
          </View>
        ) : null}

        {/* No `loading`: Taro's H5 button fails to insert its spinner (a DOM insertBefore error); the label says it. */}
        <Button
          className='staff-login__submit'
          disabled={busy || stillLocked || undefined}
          onClick={() => void submit()}
          data-testid='login-submit'
        >
          {stillLocked ? `${localClock(locked.until ?? now)} 后可再登录` : busy ? '正在登录…' : '登录'}
        </Button>
        <Text className='staff-login__hint'>忘记密码？请联系社区管理员重置。</Text>
      </View>
    </View>
  )
}

export default StaffLoginPage
