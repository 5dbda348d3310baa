// Placeholder wired into the router by the developer-platform foundation; replaced by its feature.
export function WebhookEndpointPage() {
  return <h1 className="text-2xl font-semibold">Webhook endpoint</h1>
}
