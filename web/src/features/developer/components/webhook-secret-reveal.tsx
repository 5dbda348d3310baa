import { ShownOnceSecret } from './shown-once-secret'

/** A signing secret, shown this once, with how receivers use it. */
export function WebhookSecretReveal({ secret, rotatedUntil }: { secret: string; rotatedUntil?: string | null }) {
  return (
    <ShownOnceSecret label="Signing secret" value={secret} testId="webhook-secret">
      <strong>Copy the signing secret now: you will not see it again.</strong> Your receiver checks each delivery's
      X-ClientFlow-Signature with it (HMAC-SHA256 keyed with this whole string).
      {rotatedUntil && ` The previous secret keeps signing too until ${new Date(rotatedUntil).toLocaleString()}.`}
    </ShownOnceSecret>
  )
}
