import { useState } from 'react'
import { Dialog, TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { WITHDRAW_REASON_MAX, type TicketView } from '@mq/shared'
import { withdrawRequest } from '@/api/requests'
import { useMutation } from '@/data/resource'
import { Button } from '@/ui/button'
import { CharCount } from './char-count'

/**
 * 撤回 while nobody has accepted the request: a kit Dialog asks first, with an optional reason the
 * handler reads. Once accepted the server refuses (409) and the page no longer offers it.
 */
export function WithdrawCard({ ticketId, onWithdrawn }: { ticketId: string; onWithdrawn: (view: TicketView) => void }) {
  const [asking, setAsking] = useState(false)
  const [reason, setReason] = useState('')
  const withdraw = useMutation(withdrawRequest)
  const length = reason.trim().length
  const tooLong = length > WITHDRAW_REASON_MAX

  const confirm = async () => {
    if (tooLong) return
    const view = await withdraw.run(ticketId, reason)
    if (!view) return
    setAsking(false)
    onWithdrawn(view)
  }

  return (
    <View className='mq-card' data-testid='detail-withdraw'>
      <Text className='mq-subtitle'>不需要办了？</Text>
      <Text className='mq-text'>工作人员受理之前，您可以撤回这件事。</Text>
      {withdraw.error && !asking ? (
        <Text className='mq-field-error' data-testid='withdraw-error'>
          {withdraw.error.message}
        </Text>
      ) : null}
      <Button block size='large' className='mq-action' onClick={() => setAsking(true)} data-testid='withdraw-open'>
        撤回
      </Button>
      <Dialog
        visible={asking}
        title='确定撤回吗？'
        onClose={() => setAsking(false)}
        onCancel={() => setAsking(false)}
        content={
          <View className='mq-withdraw' data-testid='withdraw-dialog'>
            <Text className='mq-text'>撤回后这件事不再办理。如果问题还在，可以重新反映。</Text>
            <TextArea
              value={reason}
              maxLength={-1}
              rows={2}
              placeholder='撤回原因（可不填）'
              onChange={setReason}
              data-testid='withdraw-reason'
            />
            <CharCount length={length} max={WITHDRAW_REASON_MAX} />
            {withdraw.error ? (
              <Text className='mq-field-error' data-testid='withdraw-dialog-error'>
                {withdraw.error.message}
              </Text>
            ) : null}
          </View>
        }
        footer={
          <View className='mq-withdraw__footer'>
            <Button className='mq-withdraw__button' onClick={() => setAsking(false)} data-testid='withdraw-cancel'>
              不撤回
            </Button>
            <Button
              className='mq-withdraw__button'
              type='danger'
              loading={withdraw.busy}
              disabled={tooLong}
              onClick={() => void confirm()}
              data-testid='withdraw-confirm'
            >
              确定撤回
            </Button>
          </View>
        }
      />
    </View>
  )
}
