import {
  AGENDA_REASON_LABELS,
  DECISION_STATUS_LABELS,
  localDateTime,
  MEETING_KIND_LABELS,
  MEETING_STATUS_LABELS,
  OVERDUE_DECISION_LABEL,
  type AgendaReason,
  type DecisionStatus,
  type MeetingKind,
  type MeetingStatus,
} from '@mq/shared'
import { wrap } from '../board/report-layout'
import { A4, qrRuns, type Measure, type PosterDrawing, type PosterOp } from '../posters/poster-layout'
import type { PosterWeight } from '../posters/poster-fonts'

/** What the minutes say: public words and roles only, never a person's name, phone or room. */
export interface Minutes {
  compoundName: string
  kind: MeetingKind
  title: string
  startsAt: Date
  venue: string
  status: MeetingStatus
  /** Role labels. */
  attendees: string[]
  agenda: { id: string; title: string; reasons: AgendaReason[] }[]
  decisions: {
    agendaItemId: string | null
    ownerLabel: string
    targetDate: string
    summary: string
    status: DecisionStatus
    overdue: boolean
    doneNote: string | null
  }[]
}

const MARGIN = 48
const INK = '#1a1a1a'
const MUTED = '#555555'
const ACCENT = '#c8102e'
const QR_SIZE = 110
const LINE_GAP = 6

type Line = [text: string, weight: PosterWeight, size: number, color: string, indent: number]

/**
 * The minutes (会议纪要) of a joint meeting as A4 pages for the notice board: the meeting, who attended
 * (by role), the agenda and each item's decisions (public summary, owning role, target date, status), then
 * the general decisions; as many pages as it takes, a QR code to the board on the last one.
 */
export function minutesLayout(minutes: Minutes, boardUrl: string, measure: Measure): PosterDrawing[] {
  const width = A4.width - 2 * MARGIN
  const lines: Line[] = []
  const para = (text: string, weight: PosterWeight, size: number, color: string, indent = 0, max = 12) => {
    for (const l of wrap(text, measure, weight, size, width - indent, max)) lines.push([l, weight, size, color, indent])
  }
  const gap = (): void => void lines.push(['', 'regular', 6, INK, 0])

  para(`时间：${localDateTime(minutes.startsAt)} · 地点：${minutes.venue} · 状态：${MEETING_STATUS_LABELS[minutes.status]}`, 'regular', 12, INK)
  para(`参会方：${minutes.attendees.join('、') || '（未列）'}`, 'regular', 12, INK)
  gap()
  para('议题与决定', 'bold', 16, ACCENT)
  const decisionLines = (d: Minutes['decisions'][number], indent: number) => {
    para(`决定：${d.summary}`, 'regular', 12, INK, indent)
    const status = d.status === 'open' && d.overdue ? OVERDUE_DECISION_LABEL : DECISION_STATUS_LABELS[d.status]
    para(`负责：${d.ownerLabel} · 完成时限：${d.targetDate} · ${status}`, 'regular', 10.5, MUTED, indent)
    if (d.doneNote) para(`落实情况：${d.doneNote}`, 'regular', 10.5, MUTED, indent)
  }
  if (minutes.agenda.length === 0) para('本次会议没有列入议题。', 'regular', 12, MUTED)
  minutes.agenda.forEach((item, i) => {
    gap()
    para(`${i + 1}. ${item.title}`, 'bold', 13, INK, 0, 3)
    para(`（${item.reasons.map((r) => AGENDA_REASON_LABELS[r]).join('、')}）`, 'regular', 10.5, MUTED, 18)
    const decisions = minutes.decisions.filter((d) => d.agendaItemId === item.id)
    if (decisions.length === 0) para('尚无决定。', 'regular', 11, MUTED, 18)
    for (const d of decisions) decisionLines(d, 18)
  })
  const general = minutes.decisions.filter((d) => d.agendaItemId === null)
  if (general.length > 0) {
    gap()
    para('其他决定', 'bold', 13, INK)
    for (const d of general) decisionLines(d, 18)
  }

  // Pages: a header on each, the lines flowed below it, the QR code and the note at the foot of the last.
  const pages: PosterDrawing[] = []
  const title = `${minutes.compoundName} ${minutes.title} 会议纪要`
  const footer = QR_SIZE + 24
  let ops: PosterOp[] = []
  let y = 0
  const text = (t: string, x: number, baseline: number, size: number, weight: PosterWeight, color: string) =>
    ops.push({ kind: 'text', text: t, x, baseline, size, weight, color })
  const centered = (t: string, baseline: number, size: number, weight: PosterWeight, color: string) =>
    text(t, (A4.width - measure(t, weight, size)) / 2, baseline, size, weight, color)
  const start = () => {
    ops = []
    ops.push({ kind: 'rect', x: 0, y: 0, width: A4.width, height: 10, radius: 0, fill: ACCENT, stroke: null, strokeWidth: 0 })
    centered(minutes.compoundName, 62, 22, 'bold', INK)
    centered(`${MEETING_KIND_LABELS[minutes.kind]} · 会议纪要`, 92, 18, 'bold', ACCENT)
    for (const [i, l] of wrap(minutes.title, measure, 'regular', 13, width, 2).entries()) centered(l, 116 + i * 18, 13, 'regular', MUTED)
    y = 150
  }
  const finish = () => {
    text(`第 ${pages.length + 1} 页`, A4.width - MARGIN - 40, A4.height - 20, 9, 'regular', MUTED)
    pages.push({ width: A4.width, height: A4.height, title, ops })
  }
  start()
  for (const [t, weight, size, color, indent] of lines) {
    if (y + size + LINE_GAP > A4.height - MARGIN) {
      finish()
      start()
    }
    y += size + LINE_GAP
    if (t) text(t, MARGIN + indent, y, size, weight, color)
  }
  if (y + footer > A4.height - MARGIN) {
    finish()
    start()
  }
  const qrX = A4.width - MARGIN - QR_SIZE
  const qrY = A4.height - MARGIN - QR_SIZE
  ops.push({ kind: 'qr', x: qrX, y: qrY, size: QR_SIZE, ...qrRuns(boardUrl) })
  text('扫码查看公示栏', MARGIN, qrY + 36, 15, 'bold', INK)
  text('议事会决定的落实情况随时更新', MARGIN, qrY + 58, 11, 'regular', MUTED)
  text('本纪要不含任何居民个人信息。', MARGIN, qrY + 78, 11, 'regular', MUTED)
  finish()
  return pages
}
