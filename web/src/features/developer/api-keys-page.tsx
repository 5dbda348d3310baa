// Placeholder wired into the router by the developer-platform foundation; replaced by its feature.
export function ApiKeysPage() {
  return <h1 className="text-2xl font-semibold">API keys</h1>
}
