import { useState } from 'react'
import { Dialog, TextArea } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { WITHDRAW_REASON_MAX, type TicketView } from '@mq/shared'
import { withdrawRequest } from '@/api/staff-requests'
import { useMutation } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card } from '@/ui/parts'
import { ErrorNote } from '../../components/parts'
import './withdraw-card.scss'

/**
 * 撤回 of a proxy entry by the staff member who filed it, for the resident who no longer needs it, while
 * nobody has accepted it. The page shows it only when the server offers `withdraw` (the filer, before
 * acceptance); a kit Dialog asks first, with an optional reason the handler reads.
 */
export function WithdrawCard({ ticket, onWithdrawn }: { ticket: TicketView; onWithdrawn: (view: TicketView) => void }) {
  const [asking, setAsking] = useState(false)
  const [reason, setReason] = useState('')
  const withdraw = useMutation(withdrawRequest)
  const length = reason.trim().length
  const over = length - WITHDRAW_REASON_MAX

  const confirm = async () => {
    if (over > 0) return
    const view = await withdraw.run(ticket.id, reason)
    if (!view) return
    setAsking(false)
    setReason('')
    onWithdrawn(view)
  }

  return (
    <Card title='居民不需要办了？' testId='request-withdraw'>
      <Text className='st-text'>受理之前，您作为代录人可以替居民撤回这条诉求，处理人会收到通知。</Text>
      {withdraw.error && !asking ? <ErrorNote message={withdraw.error.message} requestId={withdraw.error.requestId} /> : null}
      <View className='st-stack'>
        <Button block fill='outline' type='danger' onClick={() => setAsking(true)} data-testid='withdraw-open'>
          撤回
        </Button>
      </View>
      <Dialog
        visible={asking}
        title='确定替居民撤回吗？'
        onClose={() => setAsking(false)}
        onCancel={() => setAsking(false)}
        content={
          <View className='request-withdraw' data-testid='withdraw-dialog'>
            <Text className='st-text'>撤回后这条诉求不再办理。如果问题还在，可以重新代录。</Text>
            <TextArea
              value={reason}
              maxLength={-1}
              rows={2}
              placeholder='撤回原因（可不填），例如：居民说已自行修好'
              onChange={setReason}
              data-testid='withdraw-reason'
            />
            <Text className={`st-counter${over > 0 ? ' st-counter--over' : ''}`} data-testid='withdraw-counter'>
              {over > 0 ? `${length}/${WITHDRAW_REASON_MAX}，请删去${over}字` : `${length}/${WITHDRAW_REASON_MAX}`}
            </Text>
            {withdraw.error ? (
              <Text className='st-field-error' data-testid='withdraw-dialog-error'>
                {withdraw.error.message}
              </Text>
            ) : null}
          </View>
        }
        footer={
          <View className='request-withdraw__footer'>
            <Button className='request-withdraw__button' onClick={() => setAsking(false)} data-testid='withdraw-cancel'>
              不撤回
            </Button>
            <Button
              className='request-withdraw__button'
              type='danger'
              loading={withdraw.busy}
              disabled={over > 0}
              onClick={() => void confirm()}
              data-testid='withdraw-confirm'
            >
              确定撤回
            </Button>
          </View>
        }
      />
    </Card>
  )
}
