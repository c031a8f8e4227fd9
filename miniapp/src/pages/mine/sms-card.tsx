import { useEffect, useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import type { ResidentMobileView } from '@mq/shared'
import { fieldMessage } from '@/api/client'
import { getMobile, removeMobile, requestMobileCode, verifyMobile } from '@/api/sms'
import { useMutation, useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card, Notice, Tag } from '@/ui/parts'
import { Loaded } from '@/ui/states'

/** When the server does not say, the wait before another code may be asked for. */
const RESEND_SECONDS = 60

/** Seconds left until `until` (ms), ticking each second while there are any. */
function useSecondsLeft(until: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (until <= Date.now()) return undefined
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [until])
  return Math.max(0, Math.ceil((until - now) / 1000))
}

/**
 * 短信提醒: a resident on the web page (no WeChat to tell them) leaves a mobile number, proves it with the
 * texted code, and can take it back. Errors are shown in the server's words, since it knows why.
 */
export function SmsCard() {
  const mobile = useResource('sms-mobile', getMobile)
  return (
    <Card title='短信提醒' testId='sms-card' className='sms-card'>
      <Text className='mq-muted sms-card__why'>留下手机号并验证后，您反映的事情有进展时，我们会发短信告诉您。</Text>
      <Loaded resource={mobile} rows={2} errorTestId='sms-load-error'>
        {(view) =>
          view.phone && view.verifiedAt ? (
            <Verified view={view} onRemoved={(next) => mobile.setData(next)} />
          ) : (
            <VerifyForm initialPhone={view.phone ?? ''} onVerified={(next) => mobile.setData(next)} />
          )
        }
      </Loaded>
    </Card>
  )
}

function Verified({ view, onRemoved }: { view: ResidentMobileView; onRemoved: (view: ResidentMobileView) => void }) {
  const remove = useMutation(removeMobile)
  const stop = async () => {
    const next = await remove.run()
    if (next) onRemoved(next)
  }
  return (
    <View data-testid='sms-verified'>
      <View className='sms-card__number'>
        <Text className='mq-text' data-testid='sms-number'>{view.phone}</Text>
        <Tag tone='ok'>已验证</Tag>
      </View>
      {remove.error ? (
        <Notice tone='error' testId='sms-error'>
          {fieldMessage(remove.error)}
        </Notice>
      ) : null}
      <Button block size='large' className='mq-action' loading={remove.busy} onClick={() => void stop()} data-testid='sms-remove'>
        不再接收短信
      </Button>
    </View>
  )
}

function VerifyForm({ initialPhone, onVerified }: { initialPhone: string; onVerified: (view: ResidentMobileView) => void }) {
  const [phone, setPhone] = useState(initialPhone)
  const [code, setCode] = useState('')
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [resendAt, setResendAt] = useState(0)
  const secondsLeft = useSecondsLeft(resendAt)
  const ask = useMutation(requestMobileCode)
  const verify = useMutation(verifyMobile)
  const error = verify.error ?? ask.error

  const sendCode = async () => {
    verify.reset()
    const sent = await ask.run(phone.trim())
    if (!sent) return
    setSentTo(phone.trim())
    setResendAt(Date.now() + (sent.resendAfter > 0 ? sent.resendAfter : RESEND_SECONDS) * 1000)
  }
  const confirm = async () => {
    ask.reset()
    // The code was texted to the number it was asked for; an edited number is checked as typed.
    const next = await verify.run(phone.trim(), code.trim())
    if (next) onVerified(next)
  }

  return (
    <View data-testid='sms-form'>
      <View className='sms-card__field'>
        <Text className='mq-text'>手机号</Text>
        <Input
          type='number'
          maxLength={11}
          placeholder='请输入11位手机号'
          value={phone}
          onChange={(value) => {
            setPhone(value)
            ask.reset()
          }}
          data-testid='sms-phone'
        />
      </View>
      <Button
        block
        size='large'
        className='mq-action'
        disabled={secondsLeft > 0}
        loading={ask.busy}
        onClick={() => void sendCode()}
        data-testid='sms-send'
      >
        {secondsLeft > 0 ? `${secondsLeft}秒后可重新获取` : sentTo ? '重新获取验证码' : '获取验证码'}
      </Button>
      {sentTo ? (
        <Text className='mq-muted sms-card__sent' data-testid='sms-sent'>{`验证码已发送到 ${sentTo}，5分钟内有效`}</Text>
      ) : null}
      <View className='sms-card__field'>
        <Text className='mq-text'>验证码</Text>
        <Input
          type='number'
          maxLength={6}
          placeholder='短信中的6位验证码'
          value={code}
          onChange={(value) => {
            setCode(value)
            verify.reset()
          }}
          data-testid='sms-code'
        />
      </View>
      {error ? (
        <Notice tone='error' testId='sms-error'>
          {fieldMessage(error)}
        </Notice>
      ) : null}
      <Button
        block
        type='primary'
        size='large'
        className='mq-action'
        loading={verify.busy}
        onClick={() => void confirm()}
        data-testid='sms-confirm'
      >
        确认
      </Button>
    </View>
  )
}
