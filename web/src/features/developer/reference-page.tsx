// Placeholder wired into the router by the developer-platform foundation; replaced by its feature.
export function DeveloperPage() {
  return <h1 className="text-2xl font-semibold">API reference</h1>
}
