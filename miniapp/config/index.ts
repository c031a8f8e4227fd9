import { realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import CompressionPlugin from 'compression-webpack-plugin'
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin'
import { constants as zlib } from 'node:zlib'
import devConfig from './dev'
import { PreloadPagePlugin } from './preload-page'
import prodConfig from './prod'

/**
 * `@mq/shared` is a workspace symlink (node_modules/@mq/shared -> ../shared). Webpack follows the
 * symlink, so its files live outside both `src` and `node_modules`; Taro's script rule only runs Babel
 * on `src` and Taro's own packages, so the shared build is added to `compile.include` explicitly.
 * Resolution itself picks the ESM build through the package's `module` field (Taro's mainFields are
 * browser, module, jsnext:main, main).
 */
const sharedDist = join(realpathSync(dirname(require.resolve('@mq/shared/package.json'))), 'dist')

/** Defaults for the `TARO_APP_*` variables the app reads; shell env and `.env*` files override them. */
function appEnv(): Record<string, string> {
  const defaults: Record<string, string> = {
    // H5 is served by the API server itself, so same origin; a mini-program needs an absolute URL.
    TARO_APP_API_BASE: process.env.TARO_ENV === 'h5' ? '' : 'http://localhost:3000',
    TARO_APP_HOTLINE: '',
  }
  const values: Record<string, string> = { ...defaults }
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('TARO_APP_') && value !== undefined) values[key] = value
  }
  // DefinePlugin substitutes source text, so every value must be a JSON literal.
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, JSON.stringify(value)]))
}

// https://taro-docs.jd.com/docs/next/config#defineconfig-辅助函数
export default defineConfig<'webpack5'>(async (merge) => {
  // TARO_OUTPUT_ROOT lets two builds of one platform coexist (e.g. parallel work on one machine).
  const outputRoot = process.env.TARO_OUTPUT_ROOT ?? `dist/${process.env.TARO_ENV}`
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'minqing-qrcode',
    date: '2026-11-21',
    // The app's sheets are drawn for a 750-wide design; NutUI's for 375.
    designWidth(input) {
      const file = typeof input === 'object' && input?.file ? input.file.replace(/\\+/g, '/') : ''
      return file.includes('@nutui/') ? 375 : 750
    },
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot,
    plugins: [],
    // Exposed to the app as process.env.TARO_APP_*.
    env: appEnv(),
    defineConstants: {},
    copy: {
      // WeChat reads sitemap.json (named by sitemapLocation in app.config.ts) beside app.json.
      patterns: process.env.TARO_ENV === 'weapp' ? [{ from: 'src/sitemap.json', to: `${outputRoot}/sitemap.json` }] : [],
      options: {},
    },
    framework: 'react',
    compiler: 'webpack5',
    cache: {
      enable: false,
    },
    mini: {
      compile: {
        include: [sharedDist],
      },
      postcss: {
        pxtransform: {
          enable: true,
          config: {},
        },
        cssModules: {
          enable: false,
          config: {
            namingPattern: 'module',
            generateScopedName: '[name]__[local]___[hash:base64:5]',
          },
        },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: {
        mode: 'browser',
      },
      compile: {
        include: [sharedDist],
      },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: {
          enable: true,
          config: {},
        },
        cssModules: {
          enable: false,
          config: {
            namingPattern: 'module',
            generateScopedName: '[name]__[local]___[hash:base64:5]',
          },
        },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
        // Pages load as async chunks, which Taro's H5 split (chunks: 'initial') leaves alone, so every
        // admin page would carry its own copy of zod and the shared schemas. One shared async chunk instead.
        chain.optimization.splitChunks({
          ...(chain.optimization.get('splitChunks') as Record<string, unknown>),
          cacheGroups: {
            ...((chain.optimization.get('splitChunks') as { cacheGroups?: Record<string, unknown> })?.cacheGroups ?? {}),
            asyncShared: { chunks: 'async', minChunks: 2, minSize: 20_000, priority: 5, reuseExistingChunk: true },
          },
        })
        // A QR URL's page starts loading with the app instead of after it (preload-page.ts).
        chain.plugin('preload-scan').use(PreloadPagePlugin, ['pages/scan/index', '/q/'])
        // Pre-compressed copies beside each script and style sheet (name.js.br, name.js.gz): the server
        // sends them to browsers that accept them (@fastify/static preCompressed), so a phone on a slow
        // network downloads about a third of the bytes and the server spends no CPU compressing.
        if (process.env.NODE_ENV !== 'development') {
          const test = /\.(js|css|svg|json)$/
          chain.plugin('gzip').use(CompressionPlugin, [{ test, algorithm: 'gzip', filename: '[path][base].gz', threshold: 1024, minRatio: 0.9 }])
          chain.plugin('brotli').use(CompressionPlugin, [
            {
              test,
              algorithm: 'brotliCompress',
              filename: '[path][base].br',
              compressionOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } },
              threshold: 1024,
              minRatio: 0.9,
            },
          ])
        }
      },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    // Local development build (not minified).
    return merge({}, baseConfig, devConfig)
  }
  // Production build (minified).
  return merge({}, baseConfig, prodConfig)
})
