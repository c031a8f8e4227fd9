/**
 * NutUI React Taro in jsdom: each component from its own CommonJS module, loaded when a test first uses
 * it (the package's all-in-one entry would load every component, lottie and gesture libraries included).
 * Its @tarojs imports resolve to the mocks beside this file.
 */
const loaded = new Map<string, unknown>()

function component(name: string): unknown {
  if (!loaded.has(name)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(`@nutui/nutui-react-taro/dist/cjs/packages/${name.toLowerCase()}`) as Record<string, unknown>
    loaded.set(name, module.default ?? module[name])
  }
  return loaded.get(name)
}

module.exports = new Proxy(
  {},
  {
    get: (_target, name) => {
      if (name === '__esModule') return true
      if (typeof name !== 'string' || !/^[A-Z]/.test(name)) return undefined
      return component(name)
    },
  },
)
