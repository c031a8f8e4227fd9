import { useState } from 'react'
import { Input } from '@nutui/nutui-react-taro'
import { Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { NEED_CONVERTIBLE_CATEGORIES, NEED_TITLE_MAX, PAGES, pageUrl, type TicketView } from '@mq/shared'
import type { StaffMe } from '@/api/auth'
import { fieldMessage } from '@/api/client'
import { needFromRequest } from '@/api/needs'
import { useMutation } from '@/data/resource'
import { Button } from '@/ui/button'
import { Card } from '@/ui/parts'
import { mayDo } from '../../actions'
import { ErrorNote, Field } from '../../components/parts'
import './index.scss'

const NEEDS_PAGE = pageUrl(PAGES.staff.needs)

/**
 * 转为需求: a request of 意见建议 or 生活需求与助老 that asks for something the compound lacks goes on the
 * needs list (linked back; the resident's timeline says so). The request itself is still answered and
 * resolved as usual. Once done, the card names the need and opens the list.
 */
export function ConvertToNeedCard({ ticket, me, onConverted }: { ticket: TicketView; me: StaffMe; onConverted: () => void }) {
  const converted = ticket.timeline.find((e) => e.type === 'converted_to_need')
  const [title, setTitle] = useState('')
  const convert = useMutation(() => needFromRequest(ticket.id, title))
  if (!NEED_CONVERTIBLE_CATEGORIES.includes(ticket.category) || !mayDo(me, 'handle_tickets')) return null
  if (converted) {
    return (
      <Card title='居民需求' testId='request-need'>
        <Text className='st-text' data-testid='request-need-title'>{`已转为居民需求「${String(converted.data.title ?? '')}」`}</Text>
        <Button block onClick={() => void Taro.navigateTo({ url: NEEDS_PAGE })} data-testid='request-need-open'>
          查看居民需求清单
        </Button>
      </Card>
    )
  }
  return (
    <Card title='转为居民需求' testId='request-need'>
      <Text className='st-hint'>
        居民提的是小区缺少的设施或服务（助餐、车棚、充电桩等）时，可转入居民需求清单，邻居可以表示支持。这条诉求仍需照常答复、办结。
      </Text>
      <Field label='需求标题' hint='会公开，请不要写姓名、电话和门牌号'>
        <Input className='staff-needs__input' value={title} maxLength={NEED_TITLE_MAX} placeholder='例如：上门理发服务' onChange={setTitle} data-testid='request-need-input' />
      </Field>
      {convert.error ? <ErrorNote message={fieldMessage(convert.error)} requestId={convert.error.requestId} /> : null}
      <Button
        block
        type='primary'
        loading={convert.busy}
        onClick={() => void convert.run().then((need) => need && onConverted())}
        data-testid='request-need-convert'
      >
        转为居民需求
      </Button>
    </Card>
  )
}
