// The build's size report, run by `npm run build` after compress.mjs: every JavaScript and CSS file of dist/assets
// with its raw, gzip and brotli size (the precompressed copies the server sends), and what the sign-in page loads
// before it can render: index.html's entry script, the modules it imports statically (which vite also lists as
// modulepreload links) and its stylesheets. Lazy route chunks are left out: they load when their page is visited.
//
// Fails (exit 1) when that first load exceeds the budget, or when it contains a library that belongs to a later page
// (the editor, drag and drop, charts, the command menu or the API reference), found by a string each one ships.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The app shell's budget: the sign-in page's JavaScript and CSS, gzip bytes. */
export const budgetGzip = 250_000

/** Strings that only these libraries' code contains: none of them may load with the sign-in page. */
export const lateLibraries = {
  'ProseMirror (rich-text editor)': 'ProseMirror',
  'dnd-kit (drag and drop)': 'DndDescribedBy',
  'recharts (charts)': 'recharts-wrapper',
  'cmdk (command menu)': 'cmdk-input',
  'Scalar (API reference)': 'scalar-app',
}

const dist = new URL('../dist/', import.meta.url).pathname
const assets = join(dist, 'assets')

/** The size a browser downloads for the file with the given encoding: the precompressed copy if there is one. */
function encodedSize(path, suffix) {
  return existsSync(path + suffix) ? statSync(path + suffix).size : statSync(path).size
}

/** Relative module specifiers a chunk imports statically (`import … from "./x.js"`, `import "./x.js"`). */
export function staticImports(code) {
  const found = []
  const re = /\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.\/[^"']+\.js)["']/g
  for (const m of code.matchAll(re)) found.push(m[1].slice(2))
  return found
}

/** The asset files the HTML page loads before the app renders: the entry, its modulepreloads and stylesheets. */
export function initialAssets(html, read) {
  const names = new Set()
  const queue = []
  const linked = /<(?:script[^>]*\bsrc|link[^>]*\bhref)="\/assets\/([^"]+\.(?:js|css))"/g
  for (const m of html.matchAll(linked)) queue.push(m[1])
  while (queue.length > 0) {
    const name = queue.shift()
    if (names.has(name)) continue
    names.add(name)
    if (name.endsWith('.js')) queue.push(...staticImports(read(name)))
  }
  return [...names]
}

function main() {
  if (!existsSync(join(dist, 'index.html.gz'))) {
    console.error('size-report: dist/ has no precompressed copies; run it after vite build and scripts/compress.mjs')
    process.exit(1)
  }
  const read = (name) => readFileSync(join(assets, name), 'utf8')
  const initial = new Set(initialAssets(readFileSync(join(dist, 'index.html'), 'utf8'), read))

  const rows = readdirSync(assets)
    .filter((name) => /\.(js|css)$/.test(name))
    .map((name) => {
      const path = join(assets, name)
      return {
        name,
        raw: statSync(path).size,
        gzip: encodedSize(path, '.gz'),
        brotli: encodedSize(path, '.br'),
        initial: initial.has(name),
      }
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip)

  const sum = (list, key) => list.reduce((n, r) => n + r[key], 0)
  const bytes = (n) => n.toLocaleString('en-US')
  const width = Math.max(...rows.map((r) => r.name.length), 20)
  const line = (name, raw, gzip, brotli) =>
    `${name.padEnd(width)} ${raw.padStart(11)} ${gzip.padStart(10)} ${brotli.padStart(10)}`
  const first = rows.filter((r) => r.initial)

  console.log(line('file (* = sign-in page)', 'raw B', 'gzip B', 'brotli B'))
  const shown = process.argv.includes('--all') ? rows : rows.filter((r) => r.initial || r.gzip >= 10_000)
  for (const r of shown) console.log(line((r.initial ? '* ' : '  ') + r.name, bytes(r.raw), bytes(r.gzip), bytes(r.brotli)))
  if (shown.length < rows.length) console.log(`  … ${rows.length - shown.length} chunks under 10 KB gzip (--all lists them)`)
  console.log(line('all JS and CSS', bytes(sum(rows, 'raw')), bytes(sum(rows, 'gzip')), bytes(sum(rows, 'brotli'))))
  console.log(line(`sign-in page (${first.length} files)`, bytes(sum(first, 'raw')), bytes(sum(first, 'gzip')), bytes(sum(first, 'brotli'))))

  const failures = []
  if (sum(first, 'gzip') > budgetGzip) {
    failures.push(`the sign-in page loads ${bytes(sum(first, 'gzip'))} B gzip, over the ${bytes(budgetGzip)} B budget`)
  }
  for (const r of first) {
    const code = read(r.name)
    for (const [library, marker] of Object.entries(lateLibraries)) {
      if (code.includes(marker)) failures.push(`${r.name} loads with the sign-in page but contains ${library}`)
    }
  }
  for (const f of failures) console.error(`size-report: ${f}`)
  if (failures.length > 0) process.exit(1)
}

if (import.meta.url === `file://${process.argv[1]}`) main()
