import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm'
import { Staff } from '../staff/staff.entity'

/** A staff member's WeChat (openid of the mini-app), bound by themself, so staff messages reach them there. */
@Entity('staff_wechat')
export class StaffWechat {
  @PrimaryColumn({ type: 'uuid', name: 'staff_id' })
  staffId: string

  @OneToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Staff

  @Column({ type: 'text' })
  openid: string

  @Column({ type: 'timestamptz', name: 'bound_at' })
  boundAt: Date
}
