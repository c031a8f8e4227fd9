import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm'
import { Resident } from '../residents/resident.entity'
import { Staff } from '../staff/staff.entity'
import { OutboxNotification } from './notification.entity'

/**
 * One accepted one-time subscription (一次性订阅): the user said yes to one message with this template in
 * wx.requestSubscribeMessage. The sender reserves one for a message (`notification_id`), spends it when
 * WeChat takes the message (or refuses it with 43101: WeChat then holds no consent either) and releases it
 * when the message fails for another reason. Without an unspent one, nothing is sent.
 */
@Entity('subscription_consent')
@Check('subscription_consent_one_holder', '(resident_id IS NULL) <> (staff_id IS NULL)')
@Index('subscription_consent_resident_idx', ['residentId', 'templateId'], { where: 'spent_at IS NULL' })
@Index('subscription_consent_staff_idx', ['staffId', 'templateId'], { where: 'spent_at IS NULL' })
@Index('subscription_consent_notification_idx', ['notificationId'])
export class SubscriptionConsent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string

  @Column({ type: 'uuid', name: 'resident_id', nullable: true })
  residentId: string | null

  // Goes with the resident: a resident removed by retention takes their consents along.
  @ManyToOne(() => Resident, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident | null

  @Column({ type: 'uuid', name: 'staff_id', nullable: true })
  staffId: string | null

  @ManyToOne(() => Staff, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Staff | null

  @Column({ type: 'text', name: 'template_id' })
  templateId: string

  @Column({ type: 'timestamptz', name: 'granted_at' })
  grantedAt: Date

  /** The message holding (or, once spent, that used) this consent. */
  @Column({ type: 'bigint', name: 'notification_id', nullable: true })
  notificationId: string | null

  @ManyToOne(() => OutboxNotification, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'notification_id' })
  notification?: OutboxNotification | null

  @Column({ type: 'timestamptz', name: 'spent_at', nullable: true })
  spentAt: Date | null
}
