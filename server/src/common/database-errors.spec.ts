import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm'
import { isDatabaseUnavailable, isUniqueViolation } from './database-errors'

/** A pg error as the driver throws it: an Error with a SQLSTATE `code`. */
function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {})
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['the server shutting down', pgError('terminating connection due to administrator command', '57P01')],
    ['a pool that could not connect in time', pgError('timeout exceeded when trying to connect')],
    ['a query the database took and never answered', pgError('Query read timeout')],
    ['the next query of a transaction whose connection died', new QueryRunnerAlreadyReleasedError()],
    ['the provider variant of that', new QueryRunnerProviderAlreadyReleasedError()],
    ['a driver error wrapped by TypeORM', new QueryFailedError('INSERT …', [], pgError('Connection terminated unexpectedly'))],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true)
  })

  it.each([
    ['a unique violation', new QueryFailedError('INSERT …', [], pgError('duplicate key value', '23505'))],
    ['a syntax error', pgError('syntax error at or near "SELEC"', '42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false)
  })
})

describe('isUniqueViolation', () => {
  it.each([
    ['a pg error', pgError('duplicate key value violates unique constraint', '23505')],
    ['a pg error wrapped by TypeORM', new QueryFailedError('INSERT …', [], pgError('duplicate key value', '23505'))],
  ])('is true for %s', (_, error) => {
    expect(isUniqueViolation(error)).toBe(true)
  })

  it.each([
    ['another constraint', new QueryFailedError('INSERT …', [], pgError('violates foreign key', '23503'))],
    ['a lost connection', pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['nothing', undefined],
    ['null', null],
  ])('is false for %s', (_, error) => {
    expect(isUniqueViolation(error)).toBe(false)
  })
})
