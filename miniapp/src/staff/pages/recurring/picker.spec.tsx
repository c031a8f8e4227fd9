import { fireEvent, render, screen, within } from '@testing-library/react'
import { CompoundPicker } from './picker'

const COMPOUNDS = [
  { id: '11111111-1111-4111-8111-111111111111', name: '石灰桥新村', communityName: '巴岳社区' },
  { id: '22222222-2222-4222-8222-222222222222', name: '金龙小区', communityName: '巴岳社区' },
  { id: '33333333-3333-4333-8333-333333333333', name: '白鹤苑', communityName: '龙门社区' },
]

describe('the 重点问题 compound picker', () => {
  it('lists the compounds by community and hands back the one tapped, then folds to it', () => {
    const picked = jest.fn()
    const { rerender } = render(<CompoundPicker compounds={COMPOUNDS} value={null} onPick={picked} />)
    const groups = screen.getAllByTestId('recurring-picker-group')
    expect(groups.map((g) => g.textContent)).toEqual(['巴岳社区石灰桥新村金龙小区', '龙门社区白鹤苑'])
    fireEvent.click(within(groups[1]).getByText('白鹤苑'))
    expect(picked).toHaveBeenCalledWith(COMPOUNDS[2].id)
    rerender(<CompoundPicker compounds={COMPOUNDS} value={COMPOUNDS[2].id} onPick={picked} />)
    expect(screen.getByTestId('recurring-picker')).toHaveAttribute('data-open', 'false')
    expect(screen.getByTestId('recurring-picked')).toHaveTextContent('龙门社区 · 白鹤苑')
    expect(screen.queryAllByTestId('recurring-compound-choice')).toHaveLength(0)
  })

  it('opens again with 换一个小区, the current one pressed', () => {
    const picked = jest.fn()
    render(<CompoundPicker compounds={COMPOUNDS} value={COMPOUNDS[0].id} onPick={picked} />)
    fireEvent.click(screen.getByTestId('recurring-change'))
    const choices = screen.getAllByTestId('recurring-compound-choice')
    expect(choices).toHaveLength(3)
    expect(choices[0]).toHaveAttribute('aria-pressed', 'true')
    fireEvent.click(choices[1])
    expect(picked).toHaveBeenCalledWith(COMPOUNDS[1].id)
  })

  it('names no community when all compounds are in one', () => {
    render(<CompoundPicker compounds={COMPOUNDS.slice(0, 2)} value={null} onPick={jest.fn()} />)
    expect(screen.getByTestId('recurring-picker-group').textContent).toBe('石灰桥新村金龙小区')
  })
})
