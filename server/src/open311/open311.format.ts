import { isoWithOffset } from '@mq/shared'
import { XMLBuilder } from 'fast-xml-parser'

/**
 * The documents of Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) and their two wire
 * formats. JSON is the document itself; XML wraps each list in its plural element with one singular
 * element per item (`<services><service>…`), as the specification's examples do. Every field the
 * specification lists is always present: null in JSON, an empty element in XML, when there is no value.
 */
export type Open311Format = 'json' | 'xml'

export interface DiscoveryDocument {
  changeset: string
  contact: string
  key_service: string
  endpoints: {
    specification: string
    url: string
    changeset: string
    type: 'production' | 'test'
    formats: string[]
  }[]
}

export interface ServiceDocument {
  service_code: string
  service_name: string
  description: string
  metadata: boolean
  type: 'realtime' | 'batch' | 'blackbox'
  keywords: string
  group: string
}

export interface ServiceAttributeDocument {
  variable: boolean
  code: string
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist'
  required: boolean
  datatype_description: string | null
  order: number
  description: string
  values: { key: string; name: string }[]
}

export interface ServiceDefinitionDocument {
  service_code: string
  attributes: ServiceAttributeDocument[]
}

/** The answer to POST requests (a realtime service: the id at once, never a token). */
export interface CreatedRequestDocument {
  service_request_id: string
  service_notice: string | null
  account_id: string | null
}

export interface ServiceRequestDocument {
  service_request_id: string
  status: 'open' | 'closed'
  status_notes: string | null
  service_name: string
  service_code: string
  description: string
  agency_responsible: string | null
  service_notice: string | null
  requested_datetime: string
  updated_datetime: string | null
  expected_datetime: string | null
  address: string
  address_id: string
  zipcode: string | null
  lat: number | null
  long: number | null
  media_url: string | null
}

export interface ErrorDocument {
  code: number
  description: string
}

/** A response: the root element's name (XML) and the document. */
export type Open311Document =
  | { root: 'discovery'; body: DiscoveryDocument }
  | { root: 'services'; body: ServiceDocument[] }
  | { root: 'service_definition'; body: ServiceDefinitionDocument }
  | { root: 'service_requests'; body: (CreatedRequestDocument | ServiceRequestDocument)[] }
  | { root: 'errors'; body: ErrorDocument[] }

export const CONTENT_TYPES: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
}

/** The element of one item of each list. */
const ITEM: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
}

// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

function xmlValue(value: unknown): unknown {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value.replace(NOT_XML, '')
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) throw new Error('a list must sit under a named element')
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    out[key] = Array.isArray(child) ? xmlList(key, child) : xmlValue(child)
  }
  return out
}

function xmlList(key: string, items: unknown[]): unknown {
  const item = ITEM[key]
  if (!item) throw new Error(`no item element for the list ${key}`)
  return items.length === 0 ? '' : { [item]: items.map(xmlValue) }
}

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: false })

export function toXml(doc: Open311Document): string {
  const tree = Array.isArray(doc.body) ? xmlList(doc.root, doc.body) : xmlValue(doc.body)
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [doc.root]: tree }) as string}`
}

export function render(doc: Open311Document, format: Open311Format): string {
  return format === 'json' ? JSON.stringify(doc.body) : toXml(doc)
}

/** An instant as GeoReport wants it: ISO 8601 in local time with the offset, to the second. */
export function open311Instant(value: Date | string): string
export function open311Instant(value: Date | string | null): string | null
export function open311Instant(value: Date | string | null): string | null {
  if (value === null) return null
  return isoWithOffset(value)
}

/** The format named by a path's suffix (`services.json`), or null for anything else. */
export function formatOf(suffix: string | undefined): Open311Format | null {
  return suffix === 'json' || suffix === 'xml' ? suffix : null
}
