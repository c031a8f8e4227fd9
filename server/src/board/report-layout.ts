import { localDateString, percent, type QuarterlyReport, type ReportFigures } from '@mq/shared'
import { A4, qrRuns, type Measure, type PosterDrawing, type PosterOp } from '../posters/poster-layout'
import type { PosterWeight } from '../posters/poster-fonts'

const MARGIN = 48
const INK = '#1a1a1a'
const MUTED = '#555555'
const ACCENT = '#c8102e'
const QR_SIZE = 128

/** The satisfaction cell: rated 4–5 of rated, with the counts. */
export function satisfactionText(f: ReportFigures): string {
  const p = percent(f.satisfied, f.rated)
  return p === null ? '暂无评价' : `${p}%（${f.satisfied}/${f.rated}）`
}

/** Cuts `text` into lines no wider than `width`, at most `max` lines (the last one ends in … when cut). */
export function wrap(text: string, measure: Measure, weight: PosterWeight, size: number, width: number, max: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const ch of [...text.replace(/\s+/g, ' ')]) {
    if (measure(line + ch, weight, size) > width) {
      lines.push(line)
      line = ch.trim()
      if (lines.length === max) break
    } else line += ch
  }
  if (lines.length < max && line) lines.push(line)
  if (lines.length === max && lines.join('').length < text.replace(/\s+/g, ' ').length) {
    const last = lines[max - 1]
    lines[max - 1] = `${last.slice(0, Math.max(0, last.length - 1))}…`
  }
  return lines
}

/**
 * The quarterly 公开承诺 report as one A4 page for the notice board: the figures by party, the adopted
 * recurring problems (as many as fit) and a QR code back to the board. Only public words are on it.
 */
export function reportLayout(report: QuarterlyReport, boardUrl: string, measure: Measure): PosterDrawing {
  const ops: PosterOp[] = []
  const text = (t: string, x: number, baseline: number, size: number, weight: PosterWeight = 'regular', color = INK) =>
    ops.push({ kind: 'text', text: t, x, baseline, size, weight, color })
  const centered = (t: string, baseline: number, size: number, weight: PosterWeight, color = INK) =>
    text(t, (A4.width - measure(t, weight, size)) / 2, baseline, size, weight, color)
  const width = A4.width - 2 * MARGIN

  ops.push({ kind: 'rect', x: 0, y: 0, width: A4.width, height: 10, radius: 0, fill: ACCENT, stroke: null, strokeWidth: 0 })
  centered(report.compoundName, 70, 26, 'bold')
  centered(`${report.label} 公开承诺报告`, 104, 20, 'bold', ACCENT)
  centered('居民反映的问题：收到多少、承诺多少、办结多少、按时多少、满意多少', 130, 11, 'regular', MUTED)

  // The figures: one row per party and the total.
  const columns = ['责任方', '收到', '承诺', '办结', '按时办结', '满意度']
  const widths = [150, 58, 58, 58, 70, width - 150 - 58 * 3 - 70]
  const rowHeight = 30
  let y = 150
  const row = (cells: string[], weight: PosterWeight, fill: string | null) => {
    ops.push({ kind: 'rect', x: MARGIN, y, width, height: rowHeight, radius: 0, fill, stroke: '#999999', strokeWidth: 0.6 })
    let x = MARGIN
    cells.forEach((cell, i) => {
      const size = 13
      const tx = i === 0 ? x + 8 : x + (widths[i] - measure(cell, weight, size)) / 2
      text(cell, tx, y + 20, size, weight)
      x += widths[i]
    })
    y += rowHeight
  }
  const cells = (label: string, f: ReportFigures) => [
    label,
    String(f.collected),
    String(f.committed),
    String(f.resolved),
    String(f.onTime),
    satisfactionText(f),
  ]
  row(columns, 'bold', '#f2f2f2')
  for (const p of report.parties) row(cells(p.label, p), 'regular', null)
  row(cells('合计', report.total), 'bold', '#fbeaec')
  y += 8
  text('承诺：答复时写明办理计划和日期；按时办结：在办结期限内办结；满意度：4–5 星评价占评价件数。', MARGIN, y + 12, 9.5, 'regular', MUTED)
  text('每件按牵头办理的角色计入责任方：物业；业委会/自管小组（含楼道长）；其余计入居委会/社区。', MARGIN, y + 26, 9.5, 'regular', MUTED)
  y += 52

  // The recurring problems, as many as fit above the QR code.
  text('重点问题', MARGIN, y, 18, 'bold', ACCENT)
  y += 10
  const bottom = A4.height - MARGIN - QR_SIZE - 16
  if (report.problems.length === 0) {
    text('本季度没有列为重点问题的反复反映。', MARGIN, y + 22, 12, 'regular', MUTED)
    y += 30
  }
  let shown = 0
  for (const problem of report.problems) {
    const latest = problem.progress.at(-1)
    const lines: [string, PosterWeight, number, string][] = [
      [problem.title, 'bold', 13, INK],
      [`负责：${problem.ownerLabel} · 目标日期：${problem.targetDate} · 涉及 ${problem.requests.length} 件反映`, 'regular', 11, MUTED],
      ...wrap(`计划：${problem.plan}`, measure, 'regular', 11, width, 2).map((l): [string, PosterWeight, number, string] => [l, 'regular', 11, INK]),
      ...(latest
        ? wrap(`最新进展（${localDateString(latest.at)}）：${latest.note}`, measure, 'regular', 11, width, 2).map(
            (l): [string, PosterWeight, number, string] => [l, 'regular', 11, INK],
          )
        : []),
    ]
    const height = lines.reduce((h, [, , size]) => h + size + 6, 0) + 10
    if (y + height > bottom) break
    for (const [line, weight, size, color] of lines) {
      y += size + 6
      text(line, MARGIN, y, size, weight, color)
    }
    y += 10
    shown++
  }
  if (shown < report.problems.length) {
    text(`另有 ${report.problems.length - shown} 个重点问题，请扫码查看。`, MARGIN, Math.min(y + 14, bottom), 11, 'regular', MUTED)
  }

  // The QR code back to the board, bottom right; the words beside it.
  const qrX = A4.width - MARGIN - QR_SIZE
  const qrY = A4.height - MARGIN - QR_SIZE
  ops.push({ kind: 'qr', x: qrX, y: qrY, size: QR_SIZE, ...qrRuns(boardUrl) })
  text('扫码查看公示栏', MARGIN, qrY + 40, 16, 'bold')
  text('每件反映的办理情况、重点问题的进展', MARGIN, qrY + 64, 11, 'regular', MUTED)
  text('本报告不含任何居民个人信息。', MARGIN, qrY + 84, 11, 'regular', MUTED)
  return { width: A4.width, height: A4.height, title: `${report.compoundName} ${report.label} 公开承诺报告`, ops }
}
