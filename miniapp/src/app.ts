import { createElement, type PropsWithChildren } from 'react'
import { ElderModeProvider } from '@/elder/elder-mode'

import './app.scss'

function App({ children }: PropsWithChildren) {
  // `children` is the page being rendered; the provider shares 长辈模式 across pages.
  return createElement(ElderModeProvider, null, children)
}

export default App
