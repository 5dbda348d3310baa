import { ApiReferenceReact } from '@scalar/api-reference-react'
import '@scalar/api-reference-react/style.css'
import { openAPIURL } from './reference-path'

// Scalar's own layout is responsive; these rules only fit it into our page: our font, no second
// full-height area inside the page, and the guide's tables scrolling sideways (with codes kept whole)
// instead of squeezing into the narrow introduction column or widening a 360 px screen. On a phone the
// headings' hover-only "Copy link" buttons go: placed after a heading's last word, they stuck out of the screen.
const customCss = `
.scalar-app { --scalar-font: var(--font-sans, ui-sans-serif, system-ui, sans-serif); }
.scalar-app .references-layout { min-height: auto; }
.scalar-app .markdown table { display: block; max-width: 100%; overflow-x: auto; }
.scalar-app .markdown table th, .scalar-app .markdown table code { white-space: nowrap; }
@media (max-width: 640px) { .scalar-app .group\\/heading button { display: none; } }
`

const configuration = {
  url: openAPIURL,
  // Nothing leaves the page: no analytics, no fonts from Scalar's CDN, no AI chat (Scalar turns its agent
  // on by itself when the page is served from localhost).
  telemetry: false,
  withDefaultFonts: false,
  agent: { disabled: true },
  // No "try it" client: it would call the API with the reader's session cookie, on their real data.
  hideClientButton: true,
  hideTestRequestButton: true,
  showDeveloperTools: 'never' as const,
  // The app is light only.
  hideDarkModeToggle: true,
  forceDarkModeState: 'light' as const,
  documentDownloadType: 'json' as const,
  // Code samples address the deployment the reader is on.
  baseServerURL: window.location.origin,
  customCss,
}

/** The full API reference rendered by Scalar: loaded on demand, so the app's main bundle does not carry it. */
export default function ReferenceViewer() {
  return <ApiReferenceReact configuration={configuration} />
}
