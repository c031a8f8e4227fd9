import { AccessLogEntry } from '../access-log/access-log.entity'
import { AuthSession } from '../auth/auth-session.entity'
import { RefreshToken } from '../auth/refresh-token.entity'
import { Place } from '../places/place.entity'
import { QrCode } from '../places/qr-code.entity'
import { Resident } from '../residents/resident.entity'
import { Membership } from '../staff/membership.entity'
import { Staff } from '../staff/staff.entity'
import { TicketEvent } from '../tickets/ticket-event.entity'
import { Ticket } from '../tickets/ticket.entity'

/** Every entity, for the data source and for the schema-drift test. */
export const ENTITIES = [Place, QrCode, Staff, Membership, Resident, Ticket, TicketEvent, AuthSession, RefreshToken, AccessLogEntry]
