DROP TABLE IF EXISTS time_entries;
