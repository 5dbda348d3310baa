-- The day a revoked API key's creator and the owners were last told it was used again ("API key exposure").
-- The notice is claimed by a conditional update of this column in the transaction that queues its emails,
-- so a leaked key hammering the API sends one notice per key per day, and a notice once claimed is not lost.
ALTER TABLE api_keys ADD COLUMN exposure_notified_on date;
