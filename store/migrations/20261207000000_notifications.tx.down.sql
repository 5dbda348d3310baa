DROP TRIGGER domain_events_enqueue ON domain_events;
DROP FUNCTION domain_events_enqueue();
DROP TABLE domain_event_queue;
DROP TABLE task_due_notices;
DROP TABLE push_subscriptions;
DROP TABLE notification_deliveries;
DROP TABLE notification_preferences;
DROP TABLE notifications;
