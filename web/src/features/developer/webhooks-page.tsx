// Placeholder wired into the router by the developer-platform foundation; replaced by its feature.
export function WebhooksPage() {
  return <h1 className="text-2xl font-semibold">Webhooks</h1>
}
