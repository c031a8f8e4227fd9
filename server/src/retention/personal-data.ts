/**
 * The personal-data inventory (个人信息清单): every table of the schema, the columns in it that hold or
 * point at personal data, and what retention does with each. `inventory.spec.ts` fails when a table is
 * missing here or a column whose name looks personal is not listed, so a new one gets a decision.
 *
 * Treatments: `cleared` set to NULL/false; `replaced` overwritten with a notice; `scrubbed` phone/ID
 * numbers and openids cut out of staff-written text; `deleted` the row goes; `kept` stays, with why.
 */
export type Treatment = 'cleared' | 'replaced' | 'scrubbed' | 'deleted' | { kept: string }

export interface TableEntry {
  /** What the table is, in a few words. */
  about: string
  /** Columns that hold or point at personal data, or whose name suggests it. */
  columns: Record<string, Treatment>
}

const STAFF = { kept: 'staff, not residents: work records kept while the account exists' }

export const PERSONAL_DATA: Record<string, TableEntry> = {
  place: { about: 'district → unit hierarchy', columns: { name: { kept: 'names of places, not people' } } },
  qr_code: { about: 'QR tokens of units', columns: {} },
  staff: {
    about: 'staff accounts',
    columns: {
      name: STAFF,
      phone: STAFF,
      password_hash: { kept: 'login of an active account; admins deactivate accounts of people who left' },
    },
  },
  membership: { about: "staff members' roles at places", columns: {} },
  resident_mobile: {
    about: "residents' verified mobile numbers for text messages, and the pending code (an HMAC)",
    // The row goes with its resident (ON DELETE CASCADE) when retention removes the account.
    columns: { resident_id: 'deleted', phone: 'deleted' },
  },
  resident: {
    about: 'resident accounts (WeChat openid or H5 device)',
    columns: {
      name: 'deleted',
      phone: 'deleted',
      openid: 'deleted',
      device_secret_hash: 'deleted',
    },
  },
  ticket: {
    about: 'requests',
    columns: {
      reporter_resident_id: 'cleared',
      proxy_name: 'cleared',
      proxy_phone: 'cleared',
      proxy_sms_consent: { kept: 'a yes/no, not personal: nothing is texted once proxy_phone is cleared' },
      proxy_staff_id: STAFF,
      room: 'cleared',
      contact_consent: 'cleared',
      description: 'replaced',
      reply_plan: 'scrubbed',
      resolution_note: 'scrubbed',
      public_commitment: 'scrubbed',
      public_resolution: 'scrubbed',
      public_text: 'scrubbed',
      rejection_reason: 'scrubbed',
    },
  },
  ticket_event: {
    about: 'request timelines',
    columns: {
      actor_id: 'cleared',
      data: 'scrubbed',
    },
  },
  ticket_rating: {
    about: 'ratings (stars and tags stay for the metrics)',
    columns: { resident_id: 'cleared', comment: 'cleared', staff_id: STAFF },
  },
  ticket_follower: { about: 'residents who said 我也遇到了 (the count stays on the request)', columns: { resident_id: 'deleted' } },
  ticket_co_handler: { about: 'co-handlers (staff)', columns: {} },
  idempotency_key: { about: 'retry keys of request creation', columns: { principal: 'deleted' } },
  photo: {
    about: 'photo references (bytes in DATA_DIR/photos)',
    columns: { uploader_id: 'deleted' },
  },
  voice_note: {
    about: "voice notes of requests' threads (bytes in the photo store under voice/): a person's voice",
    // All of them, the staff's too: with the request's other personal data, or unattached past the cutoff.
    columns: { uploader_id: 'deleted' },
  },
  notification_outbox: {
    about: 'notifications to send and sent',
    columns: { recipient_id: 'deleted', payload: 'deleted', last_error: 'deleted', claim_token: { kept: "a sender's lease, not personal" } },
  },
  routing_rule: { about: "compounds' routing overrides", columns: { updated_by: STAFF } },
  deadline_settings: { about: "compounds' deadline settings", columns: { updated_by: STAFF } },
  calendar_override: {
    about: "places' days off and on set by admins",
    columns: {
      created_by: STAFF,
      reason: { kept: "an admin's reason for a day off or on (台风停工, a local holiday): about the day, not a person" },
    },
  },
  reply_template: {
    about: "reply templates (常用回复) kept by admins at places: a template's words, not a person's",
    columns: {
      updated_by: STAFF,
      text: { kept: 'words staff send to every resident, kept by admins: no personal data (only placeholders)' },
    },
  },
  after_photo_setting: { about: "compounds' after-photo categories", columns: { updated_by: STAFF } },
  recurring_problem: {
    about: "supervisors' decisions on recurring problems (重点问题): public title, owner role, plan, target date",
    columns: {
      decided_by: STAFF,
      ticket_ids: { kept: 'ids of the requests it covers, not their data; a request removed drops out of the list' },
      plan: { kept: "a supervisor's public plan, shown on the board: staff are told not to name residents" },
      dismiss_reason: { kept: "a supervisor's reason, staff only: about the problem, not a person" },
    },
  },
  need: {
    about: "residents' needs (居民需求) of a compound: public title and text, status and reason",
    columns: {
      // ON DELETE SET NULL: when retention deletes an unused account, the need stays, nobody's.
      proposer_resident_id: 'cleared',
      created_by_staff_id: STAFF,
      status_changed_by: STAFF,
      title: { kept: 'public words, redacted of names, phones and rooms before they are stored' },
      public_text: { kept: 'public words, redacted of names, phones and rooms before they are stored (the raw text is not kept)' },
      reason: { kept: "staff's public reason for 暂不可行, redacted when written: about the need, not a person" },
      ticket_id: { kept: 'the request it was turned from; the request has its own retention' },
    },
  },
  need_support: {
    about: "households' +1 for a need (counted once per household)",
    columns: {
      // ON DELETE SET NULL: the household's +1 still counts once the account is gone.
      resident_id: 'cleared',
      household_key: { kept: 'a SHA-256 of (unit, room) or of the account: counts a household once, shows no room' },
    },
  },
  urgent_list: {
    about: "places' danger-list changes (words and categories) and a compound's 物业 24-hour line, set by admins",
    columns: {
      updated_by: STAFF,
      property_phone: { kept: "the property company's public 24-hour line, not a person's number" },
    },
  },
  ranking_weights: { about: "districts' weights of the ranking's composite", columns: { updated_by: STAFF } },
  compound_tally: { about: 'counts of requests per compound, local month and handler role (tallies/)', columns: {} },
  ticket_tally: {
    about: 'counts of requests per compound, local month, building, category, handler role and handler staff id (tallies/)',
    columns: {},
  },
  category_lesson: {
    about: "what staff re-categorising requests taught a compound's category suggestion: phrase, category, count",
    columns: {
      term: { kept: '2–3 Chinese characters of descriptions (no digits or letters), with no request, person or date' },
    },
  },
  meeting: {
    about: "joint meetings (联席会议) of a compound: kind, title, time, venue, attendee roles (no names)",
    columns: { created_by: STAFF },
  },
  meeting_agenda_item: {
    about: "a meeting's agenda: a request or need by id, with its public words when put on the agenda",
    columns: {
      ticket_id: { kept: 'the id of a request, not its data: the request keeps its own retention' },
      added_by: STAFF,
    },
  },
  meeting_decision: {
    about: "a meeting's decisions: owner role (and staff member), target date, public summary, internal note, done note",
    columns: {
      ticket_id: { kept: 'the id of a request, not its data: the request keeps its own retention' },
      owner_staff_id: STAFF,
      done_by: STAFF,
      created_by: STAFF,
      public_summary: { kept: "public words, redacted of the linked request's reporter, phone and room when written" },
      internal_note: { kept: "staff's words about carrying out the decision, staff only: about the case, not a person" },
      done_note: { kept: "public words, redacted of the linked request's reporter, phone and room when written" },
    },
  },
  recurring_progress: {
    about: 'progress entries of adopted recurring problems (public words)',
    columns: {
      created_by: STAFF,
      note: { kept: 'public progress words shown on the board: staff are told not to name residents' },
    },
  },
  open311_api_key: {
    about: 'API keys of Open311 clients',
    columns: { name: { kept: "a client application's label, not a person" } },
  },
  open311_request: {
    about: 'requests filed through Open311: which client, its media link and retry key',
    columns: { media_url: 'cleared' },
  },
  deadline_timer: { about: 'deadline timers of requests (warnings, escalation steps, auto-close)', columns: {} },
  subscription_consent: {
    about: 'one-time WeChat subscription consents (订阅消息)',
    columns: {
      resident_id: 'deleted', // ON DELETE CASCADE: they go with the resident
      staff_id: STAFF,
    },
  },
  staff_wechat: {
    about: "staff members' own WeChat binding, for staff notifications",
    columns: { openid: { kept: 'staff, not residents: bound by the staff member, goes with the account' } },
  },
  wechat_access_token: { about: "WeChat's server access token, shared by the instances", columns: {} },
  auth_session: {
    about: 'login sessions',
    columns: {
      resident_id: 'deleted',
      staff_id: 'deleted',
      revoked_reason: { kept: 'a reason code, not free text' },
    },
  },
  refresh_token: { about: 'refresh tokens (hashed)', columns: {} },
  rate_limit: {
    about: 'abuse limit counters (abuse/rate-limits.ts)',
    columns: {
      key: { kept: 'an HMAC of the client address or account, not reversible without the server secret; expires within the window' },
    },
  },
  visit_household: {
    about: 'households on the visit register (走访对象): elderly living alone, disabled, without smartphones',
    // Leaving the register (VisitsService.leave) clears these at once; the anonymous row stays for the figures.
    columns: {
      people: 'cleared',
      room: 'cleared',
      notes: 'cleared',
      assignee_staff_id: STAFF,
      created_by: STAFF,
    },
  },
  visit: {
    about: "visits and calls to registered households: when, how they were, what they need, the request filed",
    columns: {
      staff_id: STAFF,
      needs_found: 'cleared', // with its household leaving the register
      ticket_id: { kept: 'a link to the request filed from the visit; the request follows its own retention' },
    },
  },
  resource: {
    about: "a compound's resources list (资源清单): units around it, volunteers and their skills, venues",
    columns: {
      name: { kept: "a unit's, a venue's or a volunteer's listed name, kept while on the list (volunteers agree to be listed)" },
      address: { kept: 'where a unit or venue is, or a note about the resource: not a resident\'s address' },
      // Personal data of the contact person: masked except for the compound's 网格长/物业/自管小组.
      contact_name: 'cleared', // when the resource is taken off the list (active = false)
      contact_phone: 'cleared', // likewise
      updated_by: STAFF,
    },
  },
  resource_match: {
    about: 'resources set to work on a request or need: owner, target date, notes, 销号',
    columns: {
      owner_staff_id: STAFF,
      created_by: STAFF,
      done_by: STAFF,
      note: { kept: "staff's working note on a match (who goes when): about the work, written without residents' details" },
      done_note: { kept: "staff's note on what was done: about the work, written without residents' details" },
    },
  },
  access_log: {
    about:
      "the append-only log of unmasked reads: of a request's reporter, a resource's contact person, or a household on the visit register (subject)",
    columns: {
      staff_id: {
        kept:
          'the accountability record of who saw personal data: it holds no resident data itself (what was read, which fields, by whom) and the database refuses to change it',
      },
      resource_id: {
        kept: "points at the resource whose contact was read; the contact itself is cleared from the resource when it leaves the list",
      },
      household_id: {
        kept: 'points at the household on the visit register that was read; its people, room and notes are cleared from visit_household when it leaves the register',
      },
    },
  },
}

/** Column names that suggest personal data: each one in the schema must be listed above. */
export const LOOKS_PERSONAL =
  /(^|_)(name|phone|mobile|openid|unionid|room|address|comment|note|reason|plan|description|text|question|secret|device|ip|resident_id|uploader_id|recipient_id|principal|actor_id|payload|data|error|id_number)($|_)/

/** Tables that are the migration tool's own. */
export const NOT_DATA = new Set(['migrations', 'typeorm_metadata'])
