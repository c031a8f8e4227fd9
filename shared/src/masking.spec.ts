import { maskName, maskOpenid, maskPhone, maskRoom } from './masking'

describe('masking', () => {
  it('keeps the family name only', () => {
    expect(maskName('张三')).toBe('张*')
    expect(maskName('欧阳娜娜')).toBe('欧***')
    expect(maskName('李')).toBe('李*')
    expect(maskName('')).toBeNull()
    expect(maskName(null)).toBeNull()
  })

  it('keeps the first 3 and last 4 digits of a phone number', () => {
    expect(maskPhone('13812341234')).toBe('138****1234')
    expect(maskPhone('138-1234-1234')).toBe('138****1234')
    expect(maskPhone('12345')).toBe('*****')
    expect(maskPhone(undefined)).toBeNull()
  })

  it('hides openids and rooms', () => {
    expect(maskOpenid('oAbC123456789xyz')).toBe('oAbC****')
    expect(maskRoom('302')).toBe('***')
  })
})
