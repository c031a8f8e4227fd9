import { Column, Entity, PrimaryColumn } from 'typeorm'

/**
 * WeChat's server access token, shared by every instance: fetching a new one from /cgi-bin/token ends the
 * old one's life within minutes, so instances that each kept their own would keep invalidating each
 * other. One row per AppID; refreshed under an advisory lock, by one instance at a time.
 */
@Entity('wechat_access_token')
export class WechatAccessToken {
  @PrimaryColumn({ type: 'text', name: 'app_id' })
  appId: string

  @Column({ type: 'text', name: 'access_token' })
  accessToken: string

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt: Date

  @Column({ type: 'timestamptz', name: 'fetched_at' })
  fetchedAt: Date
}
