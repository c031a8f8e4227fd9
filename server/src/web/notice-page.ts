/** A small self-contained page for QR outcomes a browser should see as a page, not as JSON. */
export function noticePage(title: string, lines: string[]): string {
  const escape = (s: string) =>
    s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)} · 民情二维码</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f5f6f8;color:#1a1a1a}
main{max-width:560px;margin:0 auto;padding:32px 20px}
h1{font-size:28px;margin:0 0 16px}
p{font-size:20px;line-height:1.6;margin:0 0 12px}
a{display:inline-block;margin-top:12px;font-size:20px;padding:12px 20px;min-height:44px;box-sizing:border-box;background:#c62828;color:#fff;border-radius:8px;text-decoration:none}
</style></head>
<body><main><h1>${escape(title)}</h1>${lines.map((l) => `<p>${escape(l)}</p>`).join('')}
<a href="/">返回首页</a></main></body></html>`
}
