/** A request number as people read it and text messages carry it: MQ and at least six digits (MQ000123). */
export const TICKET_NUMBER_PATTERN = /^MQ\d{6,9}$/

/** The serial behind a well-formed request number, or null when it is not one. */
export function parseTicketNumber(value: string): number | null {
  return TICKET_NUMBER_PATTERN.test(value) ? Number(value.slice(2)) : null
}
