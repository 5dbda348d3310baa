// Package migrations embeds ClientFlow's SQL schema migrations (timestamped up/down files).
package migrations

import "embed"

// FS holds every *.up.sql and *.down.sql file; ".tx." files run inside one transaction.
//
//go:embed *.sql
var FS embed.FS
