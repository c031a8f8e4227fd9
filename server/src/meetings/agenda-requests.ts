import { OPEN_STATES, publicTextOf, type AgendaReason, type Severity, type TicketState } from '@mq/shared'
import type { DataSource, EntityManager } from 'typeorm'
import { ticketNumber } from '../tickets/ticket.view'

interface Row {
  id: string
  number: number
  compound_id: string
  severity: Severity
  state: TicketState
  escalation_level: number
  co_handled: boolean
  description: string
  public_text: string | null
  /** Read only to mask them in the public text, never shown. */
  reporter_name: string | null
  reporter_phone: string | null
  proxy_name: string | null
  proxy_phone: string | null
  room: string | null
}

/** A request as a meeting's agenda shows it: its number, public words and why it may be discussed. */
export interface AgendaRequest {
  id: string
  compoundId: string
  number: string
  state: TicketState
  publicText: string
  reasons: AgendaReason[]
  /** The request's personal data, only to redact words written about it (a decision's summary). */
  personal: (string | null)[]
}

function toAgendaRequest(r: Row): AgendaRequest {
  const personal = [r.reporter_name, r.reporter_phone, r.proxy_name, r.proxy_phone, r.room]
  const reasons: AgendaReason[] = []
  if (r.severity === 'complex') reasons.push('complex')
  if (r.escalation_level > 0) reasons.push('escalated')
  if (r.co_handled) reasons.push('co_handled')
  return {
    id: r.id,
    compoundId: r.compound_id,
    number: ticketNumber(r.number),
    state: r.state,
    publicText: publicTextOf({ description: r.description, publicText: r.public_text, personal }),
    reasons,
    personal,
  }
}

const SELECT = `SELECT t.id, t.number, t.compound_id, t.severity, t.state, t.escalation_level,
         (cardinality(t.co_roles) > 0 OR EXISTS (SELECT 1 FROM ticket_co_handler c WHERE c.ticket_id = t.id)) AS co_handled,
         t.description, t.public_text,
         r.name AS reporter_name, r.phone AS reporter_phone, t.proxy_name, t.proxy_phone, t.room
    FROM ticket t LEFT JOIN resident r ON r.id = t.reporter_resident_id`

/**
 * A compound's open requests that may go on a joint meeting's agenda: complex, escalated, or handled
 * jointly (难事联办: co-handler roles from routing, or co-handlers added), newest first. Read model over the
 * request tables: the description only through the public-text redaction.
 */
export async function agendaCandidates(db: DataSource | EntityManager, compoundId: string): Promise<AgendaRequest[]> {
  const rows = await db.query<Row[]>(
    `${SELECT}
      WHERE t.compound_id = $1 AND t.state = ANY($2)
        AND (t.severity = 'complex' OR t.escalation_level > 0 OR cardinality(t.co_roles) > 0
             OR EXISTS (SELECT 1 FROM ticket_co_handler c WHERE c.ticket_id = t.id))
      ORDER BY t.created_at DESC, t.number DESC
      LIMIT 100`,
    [compoundId, [...OPEN_STATES]],
  )
  return rows.map(toAgendaRequest)
}

/** Requests by id, whatever their state (an agenda made earlier; a decision's request). */
export async function agendaRequests(db: DataSource | EntityManager, ids: readonly string[]): Promise<Map<string, AgendaRequest>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<Row[]>(`${SELECT} WHERE t.id = ANY($1::uuid[])`, [[...new Set(ids)]])
  return new Map(rows.map((r) => [r.id, toAgendaRequest(r)]))
}
