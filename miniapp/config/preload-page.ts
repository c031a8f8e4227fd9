import type { Compiler } from 'webpack'

/**
 * H5: when the browser opens an address under `pathPrefix` (the QR URL `/q/<token>`), index.html asks
 * at once for the scripts and style sheets of the one page that address shows, beside the app's own.
 * Without it the page's chunks are requested only after the app's scripts have arrived and run, a second
 * round trip and a second wait for bandwidth on a slow phone (docs/adr/0004).
 */
export class PreloadPagePlugin {
  constructor(
    private readonly page: string,
    private readonly pathPrefix: string,
  ) {}

  apply(compiler: Compiler): void {
    const { Compilation, sources } = compiler.webpack
    const name = PreloadPagePlugin.name
    compiler.hooks.thisCompilation.tap(name, (compilation) => {
      // After HtmlWebpackPlugin has written index.html, when every chunk has its final file name. The
      // script goes before the app's scripts and style sheet: a script after a sheet waits for the sheet.
      compilation.hooks.processAssets.tap({ name, stage: Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
        const html = compilation.getAsset('index.html')
        const group = compilation.chunkGroups.find((g) =>
          g.origins.some((o) => typeof o.request === 'string' && o.request.includes(this.page)),
        )
        if (!html || !group) {
          compilation.errors.push(new compiler.webpack.WebpackError(`${name}: no index.html or no chunks for ${this.page}`))
          return
        }
        const publicPath = String(compilation.outputOptions.publicPath ?? '/')
        const files = group
          .getFiles()
          .filter((f) => /\.(js|css)$/.test(f))
          .map((f) => publicPath + f)
        const script =
          `<script>location.pathname.indexOf(${JSON.stringify(this.pathPrefix)})===0&&` +
          `${JSON.stringify(files)}.forEach(function(f){var l=document.createElement('link');` +
          `l.rel='preload';l.as=/\\.css$/.test(f)?'style':'script';l.href=f;document.head.appendChild(l)})</script>`
        const source = String(html.source.source())
        compilation.updateAsset('index.html', new sources.RawSource(source.replace('<title>', `${script}<title>`)))
      })
    })
  }
}
