import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { residentDetailUrl } from '@mq/shared'
import { getMine } from '@/api/requests'
import { useNow } from '@/components/due'
import { RequestCard } from '@/components/request-card'
import { ResidentPage } from '@/components/resident-page'
import { useResource } from '@/data/resource'
import { Button } from '@/ui/button'
import { Loaded, Nothing } from '@/ui/states'
import { SmsCard } from './sms-card'
import './index.scss'

/** Residents in WeChat are told through WeChat; on the web page a text message is the way to tell them. */
const OFFERS_SMS = process.env.TARO_ENV === 'h5'

/**
 * 我的反映: the requests I filed and the ones I follow (「我也遇到了」), newest first. Loaded again when
 * shown (back from a request's page: it may have been chased or rated) and on pull-to-refresh.
 */
export function MinePage() {
  const now = useNow()
  const mine = useResource('mine', getMine)

  return (
    <ResidentPage title='我的反映' testId='mine-page' className='mine'>
      <Loaded
        resource={mine}
        isEmpty={(page) => page.items.length === 0}
        empty={
          <Nothing
            title='还没有反映过问题'
            description='扫一扫楼道里的「民情二维码」，点「我要反映问题」就能反映；看到别人反映过的同一件事，点「我也遇到了」，也会出现在这里。'
            testId='mine-empty'
          />
        }
      >
        {({ items }) => {
          const reported = items.filter((t) => t.relation === 'reporter').length
          return (
            <View data-testid='mine-list'>
              <Text className='mq-muted mine-summary'>{`我反映的 ${reported} 件 · 我关注的 ${items.length - reported} 件`}</Text>
              {items.map((ticket) => (
                <RequestCard
                  key={ticket.id}
                  ticket={ticket}
                  now={now}
                  tag={ticket.relation === 'reporter' ? '我反映的' : '我关注的'}
                  relation={ticket.relation === 'reporter' ? 'reporter' : 'other'}
                  onOpen={() => void Taro.navigateTo({ url: residentDetailUrl(ticket.id) })}
                  testId='mine-item'
                />
              ))}
            </View>
          )
        }}
      </Loaded>
      <Button
        block
        size='large'
        className='mq-action'
        loading={mine.loading && mine.data !== undefined}
        onClick={() => void mine.reload()}
        data-testid='mine-refresh'
      >
        刷新
      </Button>
      {OFFERS_SMS ? <SmsCard /> : null}
    </ResidentPage>
  )
}

export default MinePage
