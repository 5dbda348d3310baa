DROP TRIGGER IF EXISTS files_queue_purge ON files;
DROP FUNCTION IF EXISTS files_queue_purge();
DROP TABLE IF EXISTS file_purges;
