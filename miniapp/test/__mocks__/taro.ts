/**
 * Stand-in for @tarojs/taro in jsdom. Tests drive it through `taroMock` (the APIs are jest.fn()) and
 * `setRouterParams`; `resetTaroMock` runs before each test (test/setup.ts).
 */
import { useEffect } from 'react'

type Params = Partial<Record<string, string>>

let routerParams: Params = {}

export function setRouterParams(params: Params): void {
  routerParams = { ...params }
}

export function useRouter() {
  return { params: routerParams, path: '/pages/test/index' }
}

/** Taro's page hooks, run once after mount (enough for jsdom). */
function useOnMount(callback: () => void): void {
  // Once after mount, like Taro's page hooks; later callback identities are deliberately ignored.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => callback(), [])
}
export const useLoad = useOnMount
export const useReady = useOnMount
export const useDidShow = useOnMount
export const useLaunch = useOnMount

export function useDidHide(): void {}
export function usePullDownRefresh(): void {}

export const taroMock = {
  request: jest.fn(),
  navigateTo: jest.fn(),
  redirectTo: jest.fn(),
  navigateBack: jest.fn(),
  scanCode: jest.fn(),
  showModal: jest.fn(),
  showToast: jest.fn(),
  makePhoneCall: jest.fn(),
}

export function resetTaroMock(): void {
  routerParams = {}
  for (const fn of Object.values(taroMock)) fn.mockReset()
  taroMock.request.mockRejectedValue(new Error('Taro.request: no response set in this test'))
  taroMock.navigateTo.mockResolvedValue({ errMsg: 'navigateTo:ok' })
  taroMock.redirectTo.mockResolvedValue({ errMsg: 'redirectTo:ok' })
  taroMock.navigateBack.mockResolvedValue({ errMsg: 'navigateBack:ok' })
  taroMock.scanCode.mockRejectedValue(new Error('scanCode:fail cancel'))
  taroMock.showModal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  taroMock.showToast.mockResolvedValue({ errMsg: 'showToast:ok' })
  taroMock.makePhoneCall.mockResolvedValue({ errMsg: 'makePhoneCall:ok' })
}

const Taro = {
  ...taroMock,
  useRouter,
  useLoad,
  useReady,
  useDidShow,
  useDidHide,
  useLaunch,
  usePullDownRefresh,
}

export default Taro
