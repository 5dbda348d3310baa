-- The worker's delay watch (worker.DelayWatch) tells the operator when Stripe events wait for dispatch too
-- long: it needs to see when an undispatched event arrived, still nothing of its payload.
GRANT SELECT (received_at) ON stripe_events TO clientflow_app;
