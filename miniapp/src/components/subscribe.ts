/**
 * WeChat subscription messages (订阅消息): one-time consents, asked for right after filing, from a tap
 * (WeChat shows the dialog only in response to one), and reported to the server, which then may send one
 * message per accepted template. Mini-program only.
 */
import Taro from '@tarojs/taro'
import { reportConsents, residentTemplates } from '@/api/requests'

export const CAN_SUBSCRIBE = process.env.TARO_ENV === 'weapp'

/** Templates to offer (empty: this deployment sends no WeChat messages, or not in WeChat). */
export async function subscribableTemplates(): Promise<string[]> {
  if (!CAN_SUBSCRIBE) return []
  return residentTemplates()
}

/** Shows WeChat's dialog; returns how many templates the resident accepted (0 when declined). */
export async function askToSubscribe(templateIds: string[]): Promise<number> {
  if (!CAN_SUBSCRIBE || templateIds.length === 0) return 0
  // Taro's option type also demands Alipay's entityIds; WeChat takes tmplIds only.
  const option = { tmplIds: templateIds } as unknown as Taro.requestSubscribeMessage.Option
  const result = (await Taro.requestSubscribeMessage(option)) as unknown as Record<string, unknown>
  const accepted = templateIds.filter((id) => result[id] === 'accept')
  await reportConsents(accepted)
  return accepted.length
}
