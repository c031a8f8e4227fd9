import Taro from '@tarojs/taro'
import { PAGES, pageUrl, type MatchSubject } from '@mq/shared'
import { Button } from '@/ui/button'

/** 匹配资源: opens the compound's resources list to set resources to work on a request or a need. */
export function MatchResourcesLink({ subject, subjectId, compoundId }: { subject: MatchSubject; subjectId: string; compoundId?: string }) {
  const query = { [subject === 'ticket' ? 'ticketId' : 'needId']: subjectId, ...(compoundId ? { compoundId } : {}) }
  return (
    <Button block onClick={() => void Taro.navigateTo({ url: pageUrl(PAGES.staff.resources, query) })} data-testid='resource-match-open'>
      匹配资源
    </Button>
  )
}
