import { act, fireEvent, render, screen } from '@testing-library/react'
import { storage } from '../../../test/__mocks__/taro'
import { serve, type FakeCall, type FakeReply } from '../../../test/fake-api'
import { SmsCard } from './sms-card'

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 30))
  })
}

const NONE = { phone: null, verifiedAt: null }
const VERIFIED = { phone: '13800000021', verifiedAt: '2026-12-05T08:00:00.000Z' }

function serveSms(mobile: unknown, onChange: (call: FakeCall) => FakeReply): FakeCall[] {
  return serve((call) => {
    if (call.method === 'GET' && call.url === '/api/sms/mobile') return { statusCode: 200, data: mobile }
    return onChange(call)
  })
}

const bodyOf = (call: FakeCall): unknown => (typeof call.data === 'string' ? JSON.parse(call.data) : call.data)

describe('短信提醒 on 我的反映', () => {
  beforeEach(() => {
    storage.set('mq.session.resident', { accessToken: 'access-1', refreshToken: 'refresh-1', me: null })
  })

  it('asks for a code, counts down before another, and shows the number once verified', async () => {
    const calls = serveSms(NONE, (call) => {
      if (call.url === '/api/sms/mobile/code') return { statusCode: 200, data: { expiresAt: '2026-12-05T08:05:00.000Z', resendAfter: 60 } }
      if (call.url === '/api/sms/mobile/verify') return { statusCode: 200, data: VERIFIED }
      return { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no route', requestId: 'r' } }
    })
    render(<SmsCard />)
    await settle()
    expect(screen.getByTestId('sms-send')).toHaveTextContent('获取验证码')

    fireEvent.change(screen.getByTestId('sms-phone'), { target: { value: '13800000021' } })
    fireEvent.click(screen.getByTestId('sms-send'))
    await settle()
    expect(bodyOf(calls.find((c) => c.url === '/api/sms/mobile/code')!)).toEqual({ phone: '13800000021' })
    expect(screen.getByTestId('sms-sent')).toHaveTextContent('13800000021')
    expect(screen.getByTestId('sms-send')).toHaveTextContent(/^(60|59)秒后可重新获取$/)
    // While it counts down, a tap asks for nothing.
    fireEvent.click(screen.getByTestId('sms-send'))
    await settle()
    expect(calls.filter((c) => c.url === '/api/sms/mobile/code')).toHaveLength(1)

    fireEvent.change(screen.getByTestId('sms-code'), { target: { value: '123456' } })
    fireEvent.click(screen.getByTestId('sms-confirm'))
    await settle()
    expect(bodyOf(calls.find((c) => c.url === '/api/sms/mobile/verify')!)).toEqual({ phone: '13800000021', code: '123456' })
    expect(screen.getByTestId('sms-number')).toHaveTextContent('13800000021')
    expect(screen.getByTestId('sms-verified')).toHaveTextContent('已验证')
    expect(screen.queryByTestId('sms-form')).toBeNull()
  })

  it('shows a wrong code and a wrong number in the server’s words', async () => {
    serveSms(NONE, (call) => {
      if (call.url === '/api/sms/mobile/code') {
        return {
          statusCode: 400,
          data: { code: 'VALIDATION_FAILED', message: '提交的内容有误', requestId: 'r1', details: [{ path: 'phone', message: '请输入11位手机号' }] },
        }
      }
      return {
        statusCode: 400,
        data: { code: 'VALIDATION_FAILED', message: '验证码不对，还可以再试4次', requestId: 'r2', details: [{ path: 'code', message: '验证码不对，还可以再试4次' }] },
      }
    })
    render(<SmsCard />)
    await settle()
    fireEvent.change(screen.getByTestId('sms-phone'), { target: { value: '1380' } })
    fireEvent.click(screen.getByTestId('sms-send'))
    await settle()
    expect(screen.getByTestId('sms-error')).toHaveTextContent('请输入11位手机号')
    expect(screen.getByTestId('sms-send')).toHaveTextContent('获取验证码')

    fireEvent.change(screen.getByTestId('sms-phone'), { target: { value: '13800000021' } })
    expect(screen.queryByTestId('sms-error')).toBeNull()
    fireEvent.change(screen.getByTestId('sms-code'), { target: { value: '000000' } })
    fireEvent.click(screen.getByTestId('sms-confirm'))
    await settle()
    expect(screen.getByTestId('sms-error')).toHaveTextContent('验证码不对，还可以再试4次')
  })

  it('stops the messages: 不再接收短信 removes the number and offers the form again', async () => {
    const calls = serveSms(VERIFIED, (call) =>
      call.method === 'DELETE' && call.url === '/api/sms/mobile'
        ? { statusCode: 200, data: NONE }
        : { statusCode: 404, data: { code: 'ROUTE_NOT_FOUND', message: 'no route', requestId: 'r' } },
    )
    render(<SmsCard />)
    await settle()
    expect(screen.getByTestId('sms-number')).toHaveTextContent('13800000021')
    fireEvent.click(screen.getByTestId('sms-remove'))
    await settle()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true)
    expect(screen.queryByTestId('sms-verified')).toBeNull()
    expect(screen.getByTestId('sms-form')).toBeInTheDocument()
  })

  it('says when SMS is off here, in the server’s words', async () => {
    serveSms(NONE, () => ({
      statusCode: 503,
      data: { code: 'UPSTREAM_UNAVAILABLE', message: '本系统未开通短信，暂不能验证手机号', requestId: 'r3' },
    }))
    render(<SmsCard />)
    await settle()
    fireEvent.change(screen.getByTestId('sms-phone'), { target: { value: '13800000021' } })
    fireEvent.click(screen.getByTestId('sms-send'))
    await settle()
    expect(screen.getByTestId('sms-error')).toHaveTextContent('本系统未开通短信，暂不能验证手机号')
  })
})
