import type { FastifyRequest } from 'fastify'
import type { DataSource, EntityManager } from 'typeorm'
import type { AppConfig } from '../config/config'
import { lsnValue, readCallerOf, ReadSource, recordBoundary, replicaFailure } from './read-source'

describe('ReadSource without a replica, and its rules', () => {
  it('reads the primary for anyone and for a signed-in caller when DATABASE_READ_URL is unset', async () => {
    const manager = { marker: 'primary' } as unknown as EntityManager
    const primary = { manager, query: jest.fn() } as unknown as DataSource
    const reads = new ReadSource(primary, { databaseReadUrl: null } as AppConfig)
    expect(reads.configured).toBe(false)
    expect(await reads.read(null, async (db) => db)).toBe(manager)
    expect(await reads.read({ kind: 'resident' }, async (db) => db)).toBe(manager)
    expect(reads.stats()).toEqual({ replica: 0, primary: 2, fallbacks: 0 })
    // No WAL position asked: without a replica the rule costs nothing.
    expect(primary.query).not.toHaveBeenCalled()
  })

  it('orders WAL positions by both halves', () => {
    expect(lsnValue('0/16B3748')! < lsnValue('0/16B3749')!).toBe(true)
    expect(lsnValue('0/FFFFFFFF')! < lsnValue('1/0')!).toBe(true)
    expect(lsnValue('2/0')! > lsnValue('1/FFFFFFFF')!).toBe(true)
    expect(lsnValue(null)).toBeNull()
    // An insert position just past a page header counts from the page's start; any other stays.
    expect(recordBoundary(lsnValue('0/16B2018')!)).toBe(lsnValue('0/16B2000'))
    expect(recordBoundary(lsnValue('0/3000028')!)).toBe(lsnValue('0/3000000'))
    expect(recordBoundary(lsnValue('0/16B3748')!)).toBe(lsnValue('0/16B3748'))
  })

  it('reruns on the primary what failed because of the replica as a server, never a bad statement', () => {
    const sql = (code: string) => Object.assign(new Error('x'), { code })
    expect(replicaFailure(sql('08006'))).toBe(true) // connection failure
    expect(replicaFailure(sql('57P01'))).toBe(true) // admin shutdown
    expect(replicaFailure(sql('57P03'))).toBe(true) // cannot connect now (starting up)
    expect(replicaFailure(sql('40001'))).toBe(true) // cancelled by a conflict with recovery
    expect(replicaFailure(sql('ECONNREFUSED'))).toBe(true)
    expect(replicaFailure(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(replicaFailure(sql('42P01'))).toBe(false) // undefined table: the statement's fault
    expect(replicaFailure(sql('23505'))).toBe(false)
    expect(replicaFailure(new TypeError('x is undefined'))).toBe(false)
  })

  it('takes a request with a bearer token as signed in, without checking it; else anyone', () => {
    const request = (headers: Record<string, string>, principal?: object) =>
      ({ headers, principal }) as unknown as FastifyRequest
    expect(readCallerOf(request({}))).toBeNull()
    expect(readCallerOf(request({ authorization: 'Bearer abc.def' }))).toEqual({ kind: 'bearer' })
    expect(readCallerOf(request({ authorization: 'Basic abc' }))).toBeNull()
    const principal = { kind: 'resident', residentId: 'r' }
    expect(readCallerOf(request({}, principal))).toBe(principal)
  })
})
