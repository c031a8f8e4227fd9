import { DomainError } from '../common/domain-error'
import { unstorablePath } from '../common/storable-text'
import { parseForm } from './strict-bodies'

describe('form bodies', () => {
  it('decodes names and values, + as a space, a repeated name as a list', () => {
    expect(parseForm('name=%E7%8E%8B+%E7%A7%80%E8%8B%B1&tag=a&tag=b&empty=&flag')).toEqual({
      name: '王 秀英',
      tag: ['a', 'b'],
      empty: '',
      flag: '',
    })
    expect(parseForm('')).toEqual({})
  })

  it('keeps __proto__ as a field name, never as the prototype', () => {
    const body = parseForm('__proto__=x&constructor=y')
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype)
    expect(Object.keys(body)).toEqual(['__proto__', 'constructor'])
    expect(({} as { x?: unknown }).x).toBeUndefined()
  })

  it.each([
    ['a lone UTF-16 half', 'name=a%ED%A0%80b', 'name'],
    ['a cut UTF-8 sequence', 'ok=1&description=%E4%B8', 'description'],
    ['a % without hex', 'phone=%zz', 'phone'],
    ['a bad name', 'n%FFame=x', 'n%FFame'],
  ])('refuses %s, naming the field', (_what, body, field) => {
    let thrown: unknown
    try {
      parseForm(body)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(DomainError)
    expect((thrown as DomainError).details).toEqual([{ path: field, message: '表单内容的 % 编码有误' }])
  })

  it('leaves NUL to the one guard of every parsed body, which names the field', () => {
    expect(unstorablePath(parseForm('name=ok&description=a%00b'))).toBe('description')
    expect(unstorablePath({ list: ['ok', 'x\ud800'] })).toBe('list.1')
    expect(unstorablePath({ 'k\u0000': 'v' })).toBe('k\u0000')
    expect(unstorablePath(Buffer.from([0]))).toBeNull()
    expect(unstorablePath({ ok: '𠮷 and \u202e' })).toBeNull()
  })
})
