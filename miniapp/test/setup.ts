import '@testing-library/jest-dom'
import { resetTaroMock } from './__mocks__/taro'

beforeEach(() => {
  resetTaroMock()
})
