// Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build (dist/), run by
// `npm run build` after vite. The Go server (api/spa.go) sends one of them when the browser accepts it, so
// the first visit costs the compressed bytes without compressing on every request. Only text types are
// worth it (images and fonts are compressed already), and a copy that saves nothing is not written: the
// server then falls back to the file itself.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const textTypes = new Set(['.js', '.css', '.html', '.svg', '.json', '.txt'])
const dist = new URL('../dist/', import.meta.url).pathname

/** Yields every file under dir, recursively. */
function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* files(path)
    else yield path
  }
}

const encoders = {
  // Quality 11 is slow (about a second for the whole build) but it is paid once per build, not per request.
  '.br': (data) =>
    brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  '.gz': (data) => gzipSync(data, { level: constants.Z_BEST_COMPRESSION }),
}

const totals = { identity: 0, '.gz': 0, '.br': 0 }
for (const path of files(dist)) {
  if (!textTypes.has(extname(path))) continue
  const data = readFileSync(path)
  totals.identity += data.length
  for (const [suffix, encode] of Object.entries(encoders)) {
    const encoded = encode(data)
    const kept = encoded.length < data.length
    if (kept) writeFileSync(path + suffix, encoded)
    totals[suffix] += kept ? encoded.length : data.length
  }
}
const kb = (n) => (n / 1024).toFixed(1) + ' KiB'
console.log(`compressed text assets: ${kb(totals.identity)} identity, ${kb(totals['.gz'])} gzip, ${kb(totals['.br'])} brotli`)
