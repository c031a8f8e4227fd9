import { dateInWords, fillTemplate, unknownPlaceholders } from './templates'

describe('reply templates', () => {
  const values = { number: 'MQ000042', date: '2026年6月3日', handler: '王网格', phone: '13800000000' }

  it('fills every placeholder, each time it appears', () => {
    expect(fillTemplate('您的诉求{编号}已受理，{负责人}（{电话}）负责；{编号}', values)).toBe(
      '您的诉求MQ000042已受理，王网格（13800000000）负责；MQ000042',
    )
    expect(fillTemplate('{日期}已处理完毕', values)).toBe('2026年6月3日已处理完毕')
  })

  it('names placeholders that are not ours, and leaves braces that are not placeholders alone', () => {
    expect(unknownPlaceholders('{编号}{姓名}{姓名}{地址}')).toEqual(['{姓名}', '{地址}'])
    expect(unknownPlaceholders('{编号} {日期} {负责人} {电话}')).toEqual([])
    expect(unknownPlaceholders('没有占位符')).toEqual([])
  })

  it('writes the date in words on Shanghai time', () => {
    // 2026-06-02 17:30 UTC is already 6月3日 in Shanghai.
    expect(dateInWords('2026-06-02T17:30:00Z')).toBe('2026年6月3日')
  })
})
