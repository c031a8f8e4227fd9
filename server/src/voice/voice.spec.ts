import { ErrorBodySchema, TicketViewSchema, VoiceNoteUploadSchema, type TicketView } from '@mq/shared'
import { createHash } from 'node:crypto'
import { readdir, rm, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestModule, type TestApp } from '../../test/app'
import {
  authHeader,
  count,
  IMAGES,
  makeCompound,
  makeResident,
  makeStaff,
  makeTicket,
  type CompoundFixture,
} from '../../test/factories'
import { CLIPS, uploadVoice, voiceBody } from '../../test/voice'
import type { Resident } from '../residents/resident.entity'
import { RetentionModule } from '../retention/retention.module'
import { RetentionService } from '../retention/retention.service'
import type { Staff } from '../staff/staff.entity'
import { TicketsModule } from '../tickets/tickets.module'
import { VoiceModule } from './voice.module'

type Who = { staff: Staff } | { resident: Resident }

/** Every file under `dir`, recursively (partial writes included). */
async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true })
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

describe('voice notes (按住说话)', () => {
  let t: TestApp
  let dataDir: string
  let c: CompoundFixture
  let other: CompoundFixture
  let reporter: Resident
  let stranger: Resident
  let pm: Staff
  let gridLead: Staff
  let police: Staff
  let buildingLead: Staff
  let otherGridLead: Staff
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mq-voice-'))
    t = await startTestModule({
      imports: [VoiceModule, TicketsModule, RetentionModule],
      http: true,
      env: { DATA_DIR: dataDir },
    })
    c = await makeCompound(t, [1])
    other = await makeCompound(t, [1])
    pm = await makeStaff(t, 'property_manager', c.compound, '物业王')
    gridLead = await makeStaff(t, 'grid_lead', c.compound, '网格长陈')
    police = await makeStaff(t, 'police', c.compound, '民警李')
    buildingLead = await makeStaff(t, 'building_lead', c.buildings[0], '楼道长周')
    otherGridLead = await makeStaff(t, 'grid_lead', other.compound, '网格长赵')
    reporter = await makeResident(t)
    stranger = await makeResident(t)
  })
  afterAll(async () => {
    await t.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  const upload = async (body: ReturnType<typeof voiceBody>, who: Who = { resident: reporter }) =>
    t.app.inject({
      method: 'POST',
      url: '/api/voice-notes',
      payload: body.payload,
      headers: { ...(await authHeader(t, who)), ...body.headers },
    })
  const call = async (who: Who, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, payload, headers: await authHeader(t, who) })
  const view = async (who: Who, id: string): Promise<TicketView> => {
    const res = await call(who, 'GET', `/api/requests/${id}`)
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`)
    return TicketViewSchema.parse(res.json())
  }
  const voiceOf = (v: TicketView) => v.timeline.filter((e) => e.type === 'message').map((e) => e.data.voice)
  const stored = async () => ({
    files: (await filesUnder(join(dataDir, 'photos'))).length,
    rows: await count(t.dataSource, 'SELECT 1 FROM voice_note'),
  })
  const plays = (ticketId: string) =>
    t.dataSource.query<{ staff_id: string; role: string; fields: string[] }[]>(
      `SELECT staff_id, role, fields FROM access_log WHERE ticket_id = $1 AND 'voice' = ANY(fields) ORDER BY id`,
      [ticketId],
    )

  it('takes AAC, MP3, MP4, WebM and Ogg by their content, whatever the name and claimed type say', async () => {
    const types = {
      aac: 'audio/aac',
      mp3: 'audio/mpeg',
      mp4: 'audio/mp4',
      webm: 'audio/webm',
      ogg: 'audio/ogg',
    }
    for (const [kind, clip] of Object.entries(CLIPS)) {
      const res = await upload(
        voiceBody(clip, 4200, {
          filename: 'rec.dat',
          contentType: 'application/octet-stream',
          durationFirst: kind === 'ogg',
        }),
      )
      expect(res.statusCode).toBe(201)
      const note = VoiceNoteUploadSchema.parse(res.json())
      expect(note).toMatchObject({
        contentType: types[kind as keyof typeof types],
        size: clip.length,
        durationMs: 4200,
      })
      const [row] = await t.dataSource.query(
        'SELECT uploader_kind, uploader_id, ticket_id, duration_ms, sha256, storage_key FROM voice_note WHERE id = $1',
        [note.id],
      )
      expect(row).toEqual({
        uploader_kind: 'resident',
        uploader_id: reporter.id,
        ticket_id: null,
        duration_ms: 4200,
        sha256: createHash('sha256').update(clip).digest('hex'),
        storage_key: `voice/${note.id.slice(0, 2)}/${note.id}`,
      })
    }
    // Staff who handle requests record too.
    expect((await upload(voiceBody(CLIPS.mp3), { staff: pm })).statusCode).toBe(201)
  })

  it('refuses too large (413), not audio (415) and a bad or missing duration (400), in Chinese; nothing is stored', async () => {
    const before = await stored()
    const refusals: [ReturnType<typeof voiceBody>, number, string, RegExp][] = [
      [
        voiceBody(Buffer.concat([CLIPS.aac, Buffer.alloc(2 * 1024 * 1024)])),
        413,
        'PAYLOAD_TOO_LARGE',
        /超过 2 MB/,
      ],
      [
        voiceBody(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 3000, { filename: 'voice.aac' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /不是录音/,
      ],
      [voiceBody(IMAGES.jpeg, 3000, { filename: 'voice.aac' }), 415, 'UNSUPPORTED_MEDIA_TYPE', /不是录音/],
      [voiceBody(Buffer.alloc(0)), 400, 'VALIDATION_FAILED', /空的/],
      [voiceBody(null), 400, 'VALIDATION_FAILED', /没有收到语音/],
      [voiceBody(CLIPS.aac, null), 400, 'VALIDATION_FAILED', /缺少语音时长/],
      [voiceBody(CLIPS.aac, ''), 400, 'VALIDATION_FAILED', /缺少语音时长/],
      [voiceBody(CLIPS.aac, 60_001), 400, 'VALIDATION_FAILED', /最长 60 秒/],
      [voiceBody(CLIPS.aac, 0), 400, 'VALIDATION_FAILED', /时长无效/],
      [voiceBody(CLIPS.aac, '3.5'), 400, 'VALIDATION_FAILED', /时长无效/],
      [voiceBody(CLIPS.aac, '-1'), 400, 'VALIDATION_FAILED', /时长无效/],
      [voiceBody(CLIPS.aac, '1e4'), 400, 'VALIDATION_FAILED', /时长无效/],
    ]
    for (const [body, status, code, message] of refusals) {
      const res = await upload(body)
      expect([res.statusCode, res.json().code]).toEqual([status, code])
      expect(ErrorBodySchema.parse(res.json()).message).toMatch(message)
    }
    const duration = await upload(voiceBody(CLIPS.aac, 'abc'))
    expect(duration.json().details).toEqual([
      { path: 'durationMs', message: expect.stringMatching(/时长无效/) },
    ])
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/voice-notes',
      payload: { file: 'x', durationMs: 3000 },
      headers: await authHeader(t, { resident: reporter }),
    })
    expect([json.statusCode, json.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE'])
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/voice-notes', ...voiceBody(CLIPS.aac) })).statusCode,
    ).toBe(401)
    expect(await stored()).toEqual(before)
  })

  it('is attached to a message by its uploader, once; the view gives a VoiceRef by who is looking', async () => {
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'facilities' })
    const voiceId = await uploadVoice(t, { resident: reporter }, CLIPS.webm, 12_000)
    // Someone else's voice note, or an unknown one: 400, nothing written.
    const events = () =>
      count(t.dataSource, `SELECT 1 FROM ticket_event WHERE ticket_id = $1 AND type = 'message'`, [ticket.id])
    const strangers = await uploadVoice(t, { resident: stranger })
    for (const id of [strangers, '00000000-0000-4000-8000-000000000000']) {
      const res = await call({ resident: reporter }, 'POST', `/api/requests/${ticket.id}/messages`, {
        voiceNoteId: id,
      })
      expect([res.statusCode, res.json().details]).toEqual([
        400,
        [{ path: 'voiceNoteId', message: '语音无效或已被使用' }],
      ])
    }
    expect(await events()).toBe(0)

    // A voice note alone is a message.
    const sent = await call({ resident: reporter }, 'POST', `/api/requests/${ticket.id}/messages`, {
      voiceNoteId: voiceId,
    })
    expect(sent.statusCode).toBe(200)
    const [event] = await t.dataSource.query(
      `SELECT data FROM ticket_event WHERE ticket_id = $1 AND type = 'message'`,
      [ticket.id],
    )
    expect(event.data).toEqual({
      kind: 'addition',
      text: '',
      photoIds: [],
      voice: { id: voiceId, durationMs: 12_000 },
    })
    expect(await t.dataSource.query('SELECT ticket_id FROM voice_note WHERE id = $1', [voiceId])).toEqual([
      { ticket_id: ticket.id },
    ])
    // Used once: a second message with it is refused and writes nothing.
    const again = await call({ resident: reporter }, 'POST', `/api/requests/${ticket.id}/messages`, {
      text: '再说一遍',
      voiceNoteId: voiceId,
    })
    expect(again.statusCode).toBe(400)
    expect(await events()).toBe(1)

    const playable = { id: voiceId, durationMs: 12_000, playable: true }
    expect(voiceOf(await view({ resident: reporter }, ticket.id))).toEqual([playable])
    expect(voiceOf(await view({ staff: gridLead }, ticket.id))).toEqual([playable])
    expect(voiceOf(await view({ staff: pm }, ticket.id))).toEqual([playable])
    // 民警 (a masked role) learns there is one and how long, never its id.
    const masked = await call({ staff: police }, 'GET', `/api/requests/${ticket.id}`)
    expect(voiceOf(TicketViewSchema.parse(masked.json()))).toEqual([{ durationMs: 12_000, playable: false }])
    expect(masked.body).not.toContain(voiceId)
  })

  it('plays to 网格长 (bytes as stored, never cached, in the access log) and to the reporter; 404 to 民警, another resident and another compound', async () => {
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'facilities' })
    const voiceId = await uploadVoice(t, { resident: reporter }, CLIPS.aac, 5000)
    expect(
      (
        await call({ resident: reporter }, 'POST', `/api/requests/${ticket.id}/messages`, {
          text: '听我说',
          voiceNoteId: voiceId,
        })
      ).statusCode,
    ).toBe(200)
    const url = `/api/requests/${ticket.id}/voice/${voiceId}`

    const heard = await call({ staff: gridLead }, 'GET', url)
    expect(heard.statusCode).toBe(200)
    expect(heard.rawPayload.equals(CLIPS.aac)).toBe(true)
    expect(heard.headers['content-type']).toBe('audio/aac')
    expect(heard.headers['cache-control']).toBe('private, no-store')
    expect(heard.headers['x-content-type-options']).toBe('nosniff')
    expect(await plays(ticket.id)).toEqual([{ staff_id: gridLead.id, role: 'grid_lead', fields: ['voice'] }])

    const own = await call({ resident: reporter }, 'GET', url)
    expect([own.statusCode, own.rawPayload.equals(CLIPS.aac)]).toEqual([200, true])

    for (const [who, code] of [
      [{ staff: police }, 'VOICE_NOT_FOUND'],
      [{ resident: stranger }, 'TICKET_NOT_FOUND'],
      [{ staff: otherGridLead }, 'TICKET_NOT_FOUND'],
    ] as [Who, string][]) {
      const res = await call(who, 'GET', url)
      expect([res.statusCode, res.json().code]).toEqual([404, code])
    }
    // A voice note of another request, through this one: 404 to the full-data role too.
    const elsewhere = await makeTicket(t, { unit: c.units[0][0], resident: reporter })
    expect(
      (await call({ staff: gridLead }, 'GET', `/api/requests/${elsewhere.id}/voice/${voiceId}`)).statusCode,
    ).toBe(404)
    // Only 网格长's one play was logged: refusals and the resident's own play are not disclosures by staff.
    expect(await plays(ticket.id)).toHaveLength(1)
  })

  it('another resident, or staff of another compound, writing with a voice note: 404; the note stays unattached', async () => {
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter })
    for (const who of [{ resident: stranger }, { staff: otherGridLead }] as Who[]) {
      const voiceId = await uploadVoice(t, who)
      const route = 'resident' in who ? 'messages' : 'staff-messages'
      const res = await call(who, 'POST', `/api/requests/${ticket.id}/${route}`, { voiceNoteId: voiceId })
      expect([res.statusCode, res.json().code]).toEqual([404, 'TICKET_NOT_FOUND'])
      expect(await t.dataSource.query('SELECT ticket_id FROM voice_note WHERE id = $1', [voiceId])).toEqual([
        { ticket_id: null },
      ])
    }
  })

  it("a handler's voice reply plays to the reporter; a proxy entry's filer records and plays, logged under their role", async () => {
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'facilities' })
    const handlerVoice = await uploadVoice(t, { staff: pm }, CLIPS.mp3, 8000)
    const reply = await call({ staff: pm }, 'POST', `/api/requests/${ticket.id}/staff-messages`, {
      voiceNoteId: handlerVoice,
    })
    expect(reply.statusCode).toBe(200)
    expect(voiceOf(await view({ resident: reporter }, ticket.id))).toEqual([
      { id: handlerVoice, durationMs: 8000, playable: true },
    ])
    expect(
      (await call({ resident: reporter }, 'GET', `/api/requests/${ticket.id}/voice/${handlerVoice}`))
        .statusCode,
    ).toBe(200)

    // 楼道长 files for an elderly resident and speaks for them; a masked role, but the reporter's side here.
    const proxy = await makeTicket(t, {
      unit: c.units[0][0],
      category: 'elderly_care',
      proxy: { name: '李奶奶', phone: '13900001111', staff: buildingLead },
    })
    const filerVoice = await uploadVoice(t, { staff: buildingLead }, CLIPS.mp4, 20_000)
    const added = await call({ staff: buildingLead }, 'POST', `/api/requests/${proxy.id}/messages`, {
      voiceNoteId: filerVoice,
    })
    expect(added.statusCode).toBe(200)
    expect(voiceOf(await view({ staff: buildingLead }, proxy.id))).toEqual([
      { id: filerVoice, durationMs: 20_000, playable: true },
    ])
    expect(voiceOf(await view({ staff: police }, proxy.id))).toEqual([
      { durationMs: 20_000, playable: false },
    ])
    const heard = await call({ staff: buildingLead }, 'GET', `/api/requests/${proxy.id}/voice/${filerVoice}`)
    expect([heard.statusCode, heard.headers['content-type']]).toEqual([200, 'audio/mp4'])
    expect(await plays(proxy.id)).toEqual([
      { staff_id: buildingLead.id, role: 'building_lead', fields: ['voice'] },
    ])
    expect(
      (await call({ staff: police }, 'GET', `/api/requests/${proxy.id}/voice/${filerVoice}`)).statusCode,
    ).toBe(404)
  })

  it('retention removes the voice notes of a request finished long ago, bytes and row, and unattached old ones', async () => {
    const ticket = await makeTicket(t, { unit: c.units[0][0], resident: reporter, category: 'facilities' })
    const voiceId = await uploadVoice(t, { resident: reporter }, CLIPS.ogg, 2000)
    await call({ resident: reporter }, 'POST', `/api/requests/${ticket.id}/messages`, {
      voiceNoteId: voiceId,
    })
    const loose = await uploadVoice(t, { resident: stranger }, CLIPS.aac, 2000)
    const recent = await uploadVoice(t, { resident: stranger }, CLIPS.aac, 2000)
    const file = (id: string) => join(dataDir, 'photos', 'voice', id.slice(0, 2), id)
    expect(
      (await filesUnder(join(dataDir, 'photos'))).filter((f) =>
        [voiceId, loose].some((id) => f === file(id)),
      ),
    ).toHaveLength(2)
    // Finished four years ago; the loose one recorded four years ago.
    await t.dataSource.query(
      `UPDATE ticket SET state = 'closed', updated_at = now() - interval '4 years' WHERE id = $1`,
      [ticket.id],
    )
    await t.dataSource.query(`UPDATE ticket_event SET at = now() - interval '4 years' WHERE ticket_id = $1`, [
      ticket.id,
    ])
    await t.dataSource.query(`UPDATE voice_note SET created_at = now() - interval '4 years' WHERE id = $1`, [
      loose,
    ])

    const report = await t.app.get(RetentionService).run()
    expect(report.voiceNotes).toBeGreaterThanOrEqual(2)
    const left = await t.dataSource.query<{ id: string }[]>(
      'SELECT id FROM voice_note WHERE id = ANY($1::uuid[])',
      [[voiceId, loose, recent]],
    )
    expect(left).toEqual([{ id: recent }])
    const files = await filesUnder(join(dataDir, 'photos'))
    expect(files).not.toContain(file(voiceId))
    expect(files).not.toContain(file(loose))
    expect(files).toContain(file(recent))
  })
})
