import { Place } from '../places/place.entity'
import { Resident } from '../residents/resident.entity'
import { Staff } from '../staff/staff.entity'
import type { CategoryCode, Channel, HandlerRole, Role, Severity, TicketState } from '@mq/shared'
import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryGeneratedColumn, UpdateDateColumn , JoinColumn, ManyToOne } from 'typeorm'

/**
 * A resident's request. Place ids are copied down from the unit so that scope queries ("everything in
 * compound X") need no joins.
 */
@Entity('ticket')
@Index('ticket_handler_open_idx', ['handlerStaffId', 'state'])
@Index('ticket_compound_created_idx', ['compoundId', 'createdAt'])
@Index('ticket_reporter_created_idx', ['reporterResidentId', 'createdAt'])
export class Ticket {
  @PrimaryGeneratedColumn('uuid')
  id: string

  /** Human-facing serial number, shown as MQ000123. */
  @Column({ type: 'int', unique: true })
  @Generated('increment')
  number: number

  @Column({ type: 'uuid', name: 'unit_id' })
  unitId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'unit_id' })
  unit?: Place

  @Column({ type: 'uuid', name: 'building_id' })
  buildingId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'building_id' })
  building?: Place

  @Column({ type: 'uuid', name: 'compound_id' })
  compoundId: string

  @ManyToOne(() => Place)
  @JoinColumn({ name: 'compound_id' })
  compound?: Place

  @Column({ type: 'text' })
  category: CategoryCode

  @Column({ type: 'text' })
  severity: Severity

  @Column({ type: 'text' })
  state: TicketState

  @Column({ type: 'text', name: 'state_before_wait', nullable: true })
  stateBeforeWait: TicketState | null

  @Column({ type: 'text' })
  channel: Channel

  @Column({ type: 'text' })
  description: string

  @Column({ type: 'uuid', name: 'reporter_resident_id', nullable: true })
  reporterResidentId: string | null

  @ManyToOne(() => Resident)
  @JoinColumn({ name: 'reporter_resident_id' })
  reporter?: Resident

  /** Proxy entry (代录): the resident's name and phone as told to staff, and the staff member who filed. */
  @Column({ type: 'text', name: 'proxy_name', nullable: true })
  proxyName: string | null

  @Column({ type: 'text', name: 'proxy_phone', nullable: true })
  proxyPhone: string | null

  @Column({ type: 'uuid', name: 'proxy_staff_id', nullable: true })
  proxyStaffId: string | null

  @Column({ type: 'text', nullable: true })
  room: string | null

  @Column({ type: 'uuid', name: 'handler_staff_id', nullable: true })
  handlerStaffId: string | null

  @ManyToOne(() => Staff)
  @JoinColumn({ name: 'handler_staff_id' })
  handler?: Staff

  @Column({ type: 'text', name: 'handler_role', nullable: true })
  handlerRole: Role | null

  @Column({ type: 'text', name: 'co_roles', array: true, default: () => "'{}'" })
  coRoles: HandlerRole[]

  @Column({ type: 'timestamptz', name: 'accept_by', nullable: true })
  acceptBy: Date | null

  @Column({ type: 'timestamptz', name: 'reply_by', nullable: true })
  replyBy: Date | null

  @Column({ type: 'timestamptz', name: 'resolve_by', nullable: true })
  resolveBy: Date | null

  @Column({ type: 'timestamptz', name: 'promised_at', nullable: true })
  promisedAt: Date | null

  @Column({ type: 'int', name: 'escalation_level', default: 0 })
  escalationLevel: number

  @Column({ type: 'int', name: 'chase_count', default: 0 })
  chaseCount: number

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date
}
