import { render, screen } from '@testing-library/react'
import { SERVICE_PROMISE } from '@mq/shared'
import { IndexPage } from './index'

describe('home page', () => {
  it('explains how to scan, step by step, and shows the service promise', () => {
    render(<IndexPage />)

    expect(screen.getByText('民情二维码')).toBeInTheDocument()
    const steps = screen.getByTestId('home-steps')
    expect(steps).toHaveTextContent('扫一扫')
    expect(steps).toHaveTextContent('我要反映问题')
    expect(screen.getByTestId('home-promise')).toHaveTextContent(SERVICE_PROMISE)
  })

  it('has no in-app scan button outside WeChat (jsdom is not weapp)', () => {
    render(<IndexPage />)
    expect(screen.queryByRole('button', { name: '扫一扫楼道二维码' })).not.toBeInTheDocument()
  })
})
