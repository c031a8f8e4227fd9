import { createElement, type PropsWithChildren } from 'react'
import Taro, { usePageNotFound } from '@tarojs/taro'
import { PAGES, pageUrl } from '@mq/shared'
import { ElderModeProvider } from '@/elder/elder-mode'

import './app.scss'

function App({ children }: PropsWithChildren) {
  // An address with no page (a mistyped link, a page of an older version) shows the 404 page with a
  // way home, not a blank screen; the address goes along so the page can name it.
  usePageNotFound((res) => {
    void Taro.redirectTo({ url: pageUrl(PAGES.resident.notFound, { path: res.path }) })
  })
  // `children` is the page being rendered; the provider shares 长辈模式 across pages.
  return createElement(ElderModeProvider, null, children)
}

export default App
