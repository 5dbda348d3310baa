DROP TABLE IF EXISTS usage_alerts, subscriptions, plans;
