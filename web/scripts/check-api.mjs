// Fails when src/api/schema.d.ts no longer matches openapi.json, so the SPA
// never compiles against stale API types.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const committed = join(root, 'src/api/schema.d.ts')
const dir = mkdtempSync(join(tmpdir(), 'clientflow-schema-'))
const fresh = join(dir, 'schema.d.ts')

try {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/openapi-typescript/bin/cli.js'), join(root, 'openapi.json'), '-o', fresh],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  let current = ''
  try {
    current = readFileSync(committed, 'utf8')
  } catch {
    // A missing file is just as stale as an outdated one.
  }
  if (current !== readFileSync(fresh, 'utf8')) {
    console.error('src/api/schema.d.ts is stale: run npm run gen:api')
    process.exitCode = 1
  } else {
    console.log('src/api/schema.d.ts is up to date with openapi.json')
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
