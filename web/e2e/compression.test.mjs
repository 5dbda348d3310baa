// The first visit's bytes: the Go server sends the build's precompressed copies (web/scripts/compress.mjs)
// when the client accepts them, and they decode to the very files the build wrote. Plain HTTP, no browser:
// the raw bytes on the wire are what is checked (fetch would decode them out of sight).
//   BASE_URL=http://127.0.0.1:8080 npm run e2e
import assert from 'node:assert/strict'
import { get } from 'node:http'
import { test } from 'node:test'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { baseURL } from './support.mjs'

/** GETs path with the given Accept-Encoding and resolves to { headers, body } with the body as sent. */
function fetchRaw(path, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const req = get(new URL(path, baseURL), { headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
  })
}

const decoders = { br: brotliDecompressSync, gzip: gunzipSync }

test('the sign-in page is sent brotli or gzip compressed and decodes to the built files', async () => {
  assert.ok(baseURL, 'BASE_URL is required, e.g. BASE_URL=http://127.0.0.1:8080 npm run e2e')
  const index = await fetchRaw('/sign-in', 'identity')
  assert.equal(index.status, 200)
  assert.equal(index.headers['content-encoding'], undefined)
  // Everything the sign-in page loads before it renders: the document and the files it names.
  const paths = ['/sign-in', ...[...index.body.toString().matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1])]
  assert.ok(paths.some((p) => p.endsWith('.js')), `no script in index.html: ${paths}`)

  const totals = { identity: 0, gzip: 0, br: 0 }
  for (const path of paths) {
    const plain = await fetchRaw(path, 'identity')
    assert.equal(plain.status, 200, path)
    totals.identity += plain.body.length
    for (const coding of ['br', 'gzip']) {
      const sent = await fetchRaw(path, coding === 'br' ? 'gzip, deflate, br' : 'gzip')
      assert.equal(sent.status, 200, path)
      assert.match(sent.headers.vary ?? '', /Accept-Encoding/, path)
      assert.equal(sent.headers['content-type'], plain.headers['content-type'], `${path} keeps its own type`)
      if (sent.headers['content-encoding'] === undefined && plain.body.length < 64) {
        // The build keeps no copy of a file compression cannot shrink (a few bytes): it goes out as is.
        assert.ok(sent.body.equals(plain.body), path)
        totals[coding] += sent.body.length
        continue
      }
      assert.equal(sent.headers['content-encoding'], coding, `${path} is sent ${coding}`)
      assert.ok(decoders[coding](sent.body).equals(plain.body), `${path} ${coding} decodes to the file`)
      totals[coding] += sent.body.length
    }
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`
  console.log(`first visit (${paths.length} files): ${kb(totals.identity)} identity, ${kb(totals.gzip)} gzip, ${kb(totals.br)} brotli`)
  assert.ok(totals.br < totals.identity / 3, 'brotli saves at least two thirds')
})
