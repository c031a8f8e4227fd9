// babel-preset-taro: https://docs.taro.zone/docs/next/babel-config
//
// NutUI React Taro, loaded per component: `import { Button } from '@nutui/nutui-react-taro'` becomes the
// button's own module and its own compiled style sheet, so a page carries only the components it uses
// (and WeChat's main package only those the resident pages use).
const NUTUI = '@nutui/nutui-react-taro/dist/es/packages'

module.exports = {
  presets: [
    ['taro', {
      framework: 'react',
      ts: true,
      compiler: 'webpack5',
    }]
  ],
  plugins: [
    [
      'import',
      {
        libraryName: '@nutui/nutui-react-taro',
        camel2DashComponentName: false,
        customName: (name) => `${NUTUI}/${name.toLowerCase()}`,
        customStyleName: (name) => `${NUTUI}/${name.toLowerCase()}/style/css`,
      },
      'nutui-react-taro',
    ],
  ],
}
