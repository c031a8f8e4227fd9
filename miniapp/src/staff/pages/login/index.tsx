import { useEffect, useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { MOBILE_PATTERN, localClock } from '@mq/shared'
import { fetchStaffMe, homePageFor, staffLogin, storedStaff, takeLoginNotice } from '@/api/auth'
import type { ApiError } from '@/api/client'
import { useMutation } from '@/data/resource'
import { ElderModeToggle } from '@/elder/elder-mode'
import { Button } from '@/ui/button'
import { Kit } from '@/ui/kit'
import { Notice } from '@/ui/parts'
import { Field } from '../../components/parts'
import '../../components/staff.scss'
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
    <Notice tone='error' testId='login-locked'>
      <Text className='mq-card__title'>账号已暂时锁定</Text>
      {failure.until !== null ? (
        <Text className='st-text' data-testid='login-unlock-at'>
          {`密码连续输错次数过多。请在 ${localClock(failure.until)} 后再试（还有约 ${minutes} 分钟）。`}
        </Text>
      ) : (
        <Text className='st-text'>{failure.message}</Text>
      )}
      <Text className='st-text'>如果忘记了密码，请联系社区管理员重置，重置后可立即登录。</Text>
    </Notice>
  )
}

/** Staff login: phone + password, in large type; admins go on to the console, everyone else to their home. */
export function StaffLoginPage() {
  const [phone, setPhone] = useState('')
  const [password, setPassword] = useState('')
  const [failure, setFailure] = useState<Failure | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [fieldError, setFieldError] = useState<string | null>(null)
  const login = useMutation(async (who: string, secret: string) => {
    const me = await staffLogin(who, secret)
    await Taro.redirectTo({ url: homePageFor(me) })
  })

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

  useEffect(() => {
    if (!login.error) return
    setFailure(failureOf(login.error))
    setPassword('')
  }, [login.error])

  function submit(): void {
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
    void login.run(trimmed, password)
  }

  return (
    <Kit className='st staff-login' testId='staff-login'>
      <View className='staff-login__card'>
        <View className='mq-card__head'>
          <Text className='staff-login__brand'>民情二维码</Text>
          <ElderModeToggle />
        </View>
        <Text className='st-h1'>工作人员登录</Text>
        <Text className='st-muted'>网格长、物业、社区管理员等工作人员使用</Text>

        {notice ? (
          <Notice tone='warn' testId='login-notice'>
            <Text className='st-text'>{notice}</Text>
          </Notice>
        ) : null}

        <Field label='手机号'>
          <Input
            type='number'
            maxLength={11}
            placeholder='请输入手机号'
            value={phone}
            onChange={setPhone}
            data-testid='login-phone'
          />
        </Field>
        <Field label='密码' error={fieldError} errorTestId='login-field-error'>
          <Input
            type='password'
            maxLength={128}
            placeholder='请输入密码'
            value={password}
            onChange={setPassword}
            onConfirm={submit}
            data-testid='login-password'
          />
        </Field>

        {failure?.kind === 'invalid' ? (
          <Notice tone='error' testId='login-error'>
            <Text className='st-text'>{failure.message}</Text>
            <Text className='st-text'>连续输错 5 次，账号将锁定 15 分钟。</Text>
          </Notice>
        ) : null}
        {failure?.kind === 'locked' ? <LockedNotice failure={failure} now={now} /> : null}
        {failure?.kind === 'other' ? (
          <Notice tone='error' testId='login-error'>
            <Text className='st-text'>{failure.message}</Text>
            {failure.requestId ? <Text className='st-hint'>{`错误编号：${failure.requestId}`}</Text> : null}
          </Notice>
        ) : null}

        {/* No `loading`: the label says it, and the button keeps its size. */}
        <Button
          type='primary'
          size='large'
          block
          className='staff-login__submit'
          disabled={login.busy || stillLocked}
          onClick={submit}
          data-testid='login-submit'
        >
          {stillLocked ? `${localClock(locked.until ?? now)} 后可再登录` : login.busy ? '正在登录…' : '登录'}
        </Button>
        <Text className='st-hint'>忘记密码？请联系社区管理员重置。</Text>
      </View>
    </Kit>
  )
}

export default StaffLoginPage
