import { householdKey, NEED_STATUSES, NEED_TRANSITIONS, needTransitionProblem, normalizeRoom } from './needs'
import { NeedStatusInputSchema, SupportNeedInputSchema } from './schemas/needs'

describe('need statuses', () => {
  it('go forward through the plan: collecting → planned → in progress → done', () => {
    expect(needTransitionProblem('collecting', 'planned')).toBeNull()
    expect(needTransitionProblem('planned', 'in_progress')).toBeNull()
    expect(needTransitionProblem('in_progress', 'done')).toBeNull()
  })

  it('refuse skipping the plan, going back from done, and staying put', () => {
    expect(needTransitionProblem('collecting', 'in_progress')).toBe('illegal')
    expect(needTransitionProblem('collecting', 'done')).toBe('illegal')
    expect(needTransitionProblem('done', 'collecting')).toBe('illegal')
    expect(needTransitionProblem('done', 'not_feasible', '没钱')).toBe('illegal')
    expect(needTransitionProblem('in_progress', 'collecting')).toBe('illegal')
    expect(needTransitionProblem('planned', 'planned')).toBe('same_status')
  })

  it('ask for a public reason to call a need not feasible, from any open status', () => {
    for (const from of ['collecting', 'planned', 'in_progress'] as const) {
      expect(needTransitionProblem(from, 'not_feasible')).toBe('reason_required')
      expect(needTransitionProblem(from, 'not_feasible', '   ')).toBe('reason_required')
      expect(needTransitionProblem(from, 'not_feasible', '场地不足')).toBeNull()
    }
  })

  it('let a need judged not feasible be taken up again, and a plan be put back to collecting', () => {
    expect(needTransitionProblem('not_feasible', 'collecting')).toBeNull()
    expect(needTransitionProblem('not_feasible', 'planned')).toBeNull()
    expect(needTransitionProblem('planned', 'collecting')).toBeNull()
  })

  it('name every status in the table, done as the only final one', () => {
    expect(Object.keys(NEED_TRANSITIONS).sort()).toEqual([...NEED_STATUSES].sort())
    expect(NEED_STATUSES.filter((s) => NEED_TRANSITIONS[s].length === 0)).toEqual(['done'])
  })

  it('accept a reason only up to its length', () => {
    expect(NeedStatusInputSchema.safeParse({ status: 'not_feasible', reason: '字'.repeat(201) }).success).toBe(false)
    expect(NeedStatusInputSchema.safeParse({ status: 'planned' }).success).toBe(true)
  })
})

describe('households', () => {
  it('are (unit, room) when a room is given, whatever way it is typed', () => {
    expect(householdKey({ unitId: 'u1', room: '502', residentId: 'r1' })).toBe('room:u1:502')
    expect(householdKey({ unitId: 'u1', room: ' 502室 ', residentId: 'r2' })).toBe('room:u1:502')
    expect(normalizeRoom('5-02a')).toBe('5-02A')
  })

  it('are the account without a room, and nothing without either', () => {
    expect(householdKey({ unitId: 'u1', room: '', residentId: 'r1' })).toBe('resident:r1')
    expect(householdKey({ unitId: 'u1', residentId: 'r1' })).toBe('resident:r1')
    expect(householdKey({ unitId: 'u1', room: '502' })).toBe('room:u1:502')
    expect(householdKey({})).toBeNull()
  })

  it('are supported only with a stairwell code, the room optional', () => {
    expect(SupportNeedInputSchema.safeParse({ room: '502' }).success).toBe(false)
    expect(SupportNeedInputSchema.safeParse({}).success).toBe(false)
  })
})
