REVOKE SELECT (received_at) ON stripe_events FROM clientflow_app;
